using System.Text.Json.Nodes;
using Jint.Native;
using RulesMfa.Engine.Context;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// The Actions <c>event</c> of one login, built for each Action from the login itself as JavaScript values, each group
/// (<c>event.user</c>, <c>event.request</c>...) when the Action first reads it: no JSON copy of the login is made.
/// The same shape as <see cref="ActionsEventProjection"/>, which the console shows (ActionsEventTests keep them equal).
/// </summary>
/// <remarks>The login's JSON must not change while an Action can still read it, as for the Rules' inputs.</remarks>
internal sealed class ActionsEvent
{
    private readonly LoginContext login;
    private readonly IReadOnlyDictionary<string, string> secrets;
    private readonly JsonObject? appMetadataPatch;
    private readonly JsonObject? userMetadataPatch;

    // Every group of the event is an object of a fixed layout whose properties are converted on first read (Jint's
    // hidden-class objects: no property dictionary or descriptor per property), with this login's ActionsEvent as state.
    private static readonly JsObjectLayout ClientLayout = Layout(
        ("client_id", static (source, engine) => Value(engine, source.Context["clientID"])),
        ("name", static (source, engine) => Value(engine, source.Context["clientName"])),
        ("metadata", static (source, engine) => ObjectOrEmpty(engine, source.Context["clientMetadata"])));

    private static readonly JsObjectLayout ConnectionLayout = Layout(
        ("id", static (source, engine) => Value(engine, source.Context["connectionID"])),
        ("name", static (source, engine) => Value(engine, source.Context["connection"])),
        ("strategy", static (source, engine) => Value(engine, source.Context["connectionStrategy"])),
        ("metadata", static (source, engine) => ObjectOrEmpty(engine, source.Context["connectionMetadata"])));

    private static readonly JsObjectLayout RequestLayout = Layout(
        ("ip", static (source, engine) => Value(engine, source.Request?["ip"])),
        ("hostname", static (source, engine) => Value(engine, source.Request?["hostname"])),
        ("user_agent", static (source, engine) => Value(engine, source.Request?["userAgent"])),
        ("method", static (source, engine) => Value(engine, source.Request?["method"])),
        ("language", static (source, engine) => Value(engine, source.Request?["language"])),
        ("query", static (source, engine) => ObjectOrEmpty(engine, source.Request?["query"])),
        ("body", static (source, engine) => ObjectOrEmpty(engine, source.Request?["body"])),
        ("geoip", static (source, engine) => source.Geoip(engine)));

    private static readonly JsObjectLayout GeoipLayout = GeoipLayoutOf(ActionsEventProjection.GeoFields);

    private static readonly JsObjectLayout TransactionLayout = Layout(
        ("protocol", static (source, engine) => Value(engine, source.Context["protocol"])),
        ("acr_values", static (source, engine) => Words(engine, source.Query?["acr_values"])),
        ("prompt", static (source, engine) => Words(engine, source.Query?["prompt"])),
        ("requested_scopes", static (source, engine) => Words(engine, source.Query?["scope"])),
        ("redirect_uri", static (source, engine) => Value(engine, source.Query?["redirect_uri"])),
        ("response_type", static (source, engine) => Words(engine, source.Query?["response_type"])),
        ("state", static (source, engine) => Value(engine, source.Query?["state"])),
        ("ui_locales", static (source, engine) => Words(engine, source.Query?["ui_locales"])));

    private static readonly JsObjectLayout AuthenticationLayout = Layout(
        ("methods", static (source, engine) => source.Methods(engine)),
        ("riskAssessment", static (source, engine) => Value(engine, source.Authentication?["riskAssessment"] ?? source.Context["riskAssessment"])));

    private static readonly JsObjectLayout StatsLayout = Layout(
        ("logins_count", static (source, engine) => Value(engine, (source.Context["stats"] as JsonObject)?["loginsCount"] ?? 0)));

    private static readonly JsObjectLayout TenantLayout = Layout(("id", static (source, engine) => Value(engine, source.Context["tenant"])));

    private static readonly JsObjectLayout SessionLayout = Layout(("id", static (source, engine) => Value(engine, source.Context["sessionID"])));

    private static readonly JsObjectLayout EventLayout = Layout(
        ("user", static (source, engine) => source.User(engine)),
        ("client", static (source, engine) => JsObject.Create(engine, ClientLayout, Unset(ClientLayout), source)),
        ("connection", static (source, engine) => JsObject.Create(engine, ConnectionLayout, Unset(ConnectionLayout), source)),
        ("request", static (source, engine) => JsObject.Create(engine, RequestLayout, Unset(RequestLayout), source)),
        ("transaction", static (source, engine) => JsObject.Create(engine, TransactionLayout, Unset(TransactionLayout), source)),
        ("authentication", static (source, engine) => JsObject.Create(engine, AuthenticationLayout, Unset(AuthenticationLayout), source)),
        ("stats", static (source, engine) => JsObject.Create(engine, StatsLayout, Unset(StatsLayout), source)),
        ("tenant", static (source, engine) => JsObject.Create(engine, TenantLayout, Unset(TenantLayout), source)),
        ("session", static (source, engine) => source.Context["sessionID"] is null ? JsValue.Null : JsObject.Create(engine, SessionLayout, Unset(SessionLayout), source)),
        ("secrets", static (source, engine) => source.Secrets(engine)));

    private static readonly JsValue?[] NoValues = new JsValue?[EventLayout.Count];

    /// <summary>The event as it stands now: after the Rules, with the metadata they saved (Actions after this do not change it).</summary>
    public ActionsEvent(LoginContext login, IReadOnlyDictionary<string, string> secrets, RuleOutputs outputs)
    {
        this.login = login;
        this.secrets = secrets;
        appMetadataPatch = Snapshot(outputs.AppMetadata);
        userMetadataPatch = Snapshot(outputs.UserMetadata);
    }

    /// <summary>A new <c>event</c> of the Action's own, on <paramref name="engine"/>.</summary>
    public JsObject For(JintEngine engine) => JsObject.Create(engine, EventLayout, Unset(EventLayout), this);

    private JsonObject Context => login.Context;

    private JsonObject? Request => login.Context["request"] as JsonObject;

    private JsonObject? Query => Request?["query"] as JsonObject;

    private JsonObject? Authentication => login.Context["authentication"] as JsonObject;

    private static JsObjectLayout Layout(params (string Name, Func<ActionsEvent, JintEngine, JsValue> Value)[] properties)
    {
        var builder = JsObjectLayout.CreateBuilder();
        foreach (var (name, value) in properties)
        {
            builder.AddLazy(name, (instance, state) => value((ActionsEvent)state!, instance.Engine));
        }

        return builder.Build();
    }

    // Its state is the login's geoip object.
    private static JsObjectLayout GeoipLayoutOf((string Rules, string Actions)[] fields)
    {
        var builder = JsObjectLayout.CreateBuilder();
        foreach (var (rulesName, actionsName) in fields)
        {
            builder.AddLazy(actionsName, (instance, state) => Value(instance.Engine, ((JsonObject)state!)[rulesName]));
        }

        return builder.Build();
    }

    // Every property of the layouts is lazy, so none is given a value.
    private static ReadOnlySpan<JsValue?> Unset(JsObjectLayout layout) => NoValues.AsSpan(0, layout.Count);

    /// <summary>A value of the login, its objects and arrays converted as they are read.</summary>
    private static JsValue Value(JintEngine engine, JsonNode? node) => JsValueConverter.ToJsValueLazily(engine, node);

    private static JsValue ObjectOrEmpty(JintEngine engine, JsonNode? node) => node is null ? new JsObject(engine) : Value(engine, node);

    private JsObject User(JintEngine engine)
    {
        var user = new JsObject(engine);
        bool hasAppMetadata = false, hasUserMetadata = false;
        foreach (var (name, value) in login.User)
        {
            switch (name)
            {
                case "app_metadata":
                    Metadata(engine, user, name, value, appMetadataPatch);
                    hasAppMetadata = true;
                    break;
                case "user_metadata":
                    Metadata(engine, user, name, value, userMetadataPatch);
                    hasUserMetadata = true;
                    break;
                default:
                    JsValueConverter.SetLazily(engine, user, name, value);
                    break;
            }
        }

        if (!hasAppMetadata)
        {
            Metadata(engine, user, "app_metadata", null, appMetadataPatch);
        }

        if (!hasUserMetadata)
        {
            Metadata(engine, user, "user_metadata", null, userMetadataPatch);
        }

        return user;
    }

    /// <summary>The user's stored metadata (an empty object when not an object), with the Rules' patch merged at the top level.</summary>
    private static void Metadata(JintEngine engine, JsObject user, string name, JsonNode? stored, JsonObject? patch)
    {
        if (patch is null)
        {
            JsValueConverter.SetLazily(engine, user, name, stored as JsonObject ?? new JsonObject());
            return;
        }

        var metadata = stored is JsonObject storedObject ? JsValueConverter.ToJsLazily(engine, storedObject) : new JsObject(engine);
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                metadata.Delete(key);
            }
            else
            {
                JsValueConverter.SetLazily(engine, metadata, key, value);
            }
        }

        user.FastSetDataProperty(name, metadata);
    }

    private JsObject Secrets(JintEngine engine)
    {
        var result = new JsObject(engine);
        foreach (var (name, value) in secrets)
        {
            result.FastSetDataProperty(name, JsString.Create(value));
        }

        return result;
    }

    /// <summary>The geo location's fields the login has, renamed: of a fixed layout when it has all of them (a geo provider's usual answer).</summary>
    private JsObject Geoip(JintEngine engine)
    {
        if (Request?["geoip"] is not JsonObject geo)
        {
            return new JsObject(engine);
        }

        if (HasEveryGeoField(geo))
        {
            return JsObject.Create(engine, GeoipLayout, Unset(GeoipLayout), geo);
        }

        var result = new JsObject(engine);
        foreach (var (rulesName, actionsName) in ActionsEventProjection.GeoFields)
        {
            if (geo.TryGetPropertyValue(rulesName, out var value))
            {
                JsValueConverter.SetLazily(engine, result, actionsName, value);
            }
        }

        return result;
    }

    private static bool HasEveryGeoField(JsonObject geo)
    {
        foreach (var (rulesName, _) in ActionsEventProjection.GeoFields)
        {
            if (!geo.ContainsKey(rulesName))
            {
                return false;
            }
        }

        return true;
    }

    private JsArray Methods(JintEngine engine)
    {
        var methods = new List<JsValue>();
        if (Authentication?["methods"] is JsonArray rulesMethods)
        {
            foreach (var node in rulesMethods)
            {
                if (node is JsonObject method)
                {
                    var converted = JsValueConverter.ToJsLazily(engine, method);
                    var timestamp = method["timestamp"];
                    if (ActionsEventProjection.IsoTimestamp(timestamp) is { } iso)
                    {
                        converted.FastSetDataProperty("timestamp", JsString.Create(iso));
                    }
                    else
                    {
                        JsValueConverter.SetLazily(engine, converted, "timestamp", timestamp);
                    }

                    methods.Add(converted);
                }
            }
        }

        return new JsArray(engine, methods.ToArray());
    }

    private static JsArray Words(JintEngine engine, JsonNode? value)
    {
        var words = ActionsEventProjection.Words(value);
        var items = new JsValue[words.Length];
        for (var index = 0; index < words.Length; index++)
        {
            items[index] = JsString.Create(words[index]);
        }

        return new JsArray(engine, items);
    }

    private static JsonObject? Snapshot(JsonObject patch) => patch.Count == 0 ? null : (JsonObject)patch.DeepClone();
}
