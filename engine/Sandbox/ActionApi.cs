using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// The <c>api</c> of a post-login Action. Each method records its request in the login's
/// <see cref="RuleOutputs"/> at once, so a later call (or a later Action) wins; methods return <c>api</c>.
/// </summary>
internal sealed class ActionApi
{
    private readonly LoginSandbox sandbox;
    private readonly string actionId;

    public ActionApi(LoginSandbox sandbox, string actionId)
    {
        this.sandbox = sandbox;
        this.actionId = actionId;
        var outputs = sandbox.Outputs;
        Object = new JsObject(sandbox.Engine);

        Group("access", ("deny", 1, arguments => Denial ??= TypeConverter.ToString(Argument(arguments, 0))));
        Group("multifactor", ("enable", 2, arguments => outputs.RequestProvider(Multifactor(arguments))));
        Group("authentication",
            ("challengeWith", 2, arguments => RequestFactors(FactorWithAdditional(arguments), enroll: false)),
            ("challengeWithAny", 1, arguments => RequestFactors(FactorList(Argument(arguments, 0), "challengeWithAny"), enroll: false)),
            ("enrollWith", 2, arguments => RequestFactors(FactorWithAdditional(arguments), enroll: true)),
            ("enrollWithAny", 1, arguments => RequestFactors(FactorList(Argument(arguments, 0), "enrollWithAny"), enroll: true)));
        Group("idToken", ("setCustomClaim", 2, arguments => SetClaim(outputs.IdTokenClaims, "idToken", arguments)));
        Group("accessToken", ("setCustomClaim", 2, arguments => SetClaim(outputs.AccessTokenClaims, "accessToken", arguments)));
        Group("user",
            ("setAppMetadata", 2, arguments => outputs.AppMetadata[Name(arguments, "setAppMetadata")] = Json(Argument(arguments, 1), "app_metadata patch")),
            ("setUserMetadata", 2, arguments => outputs.UserMetadata[Name(arguments, "setUserMetadata")] = Json(Argument(arguments, 1), "user_metadata patch")));
        Group("redirect", ("sendUserTo", 2, arguments => outputs.Redirect = RedirectUrl(arguments)));
    }

    public JsObject Object { get; }

    /// <summary>The reason of the first <c>api.access.deny</c>, or null.</summary>
    public string? Denial { get; private set; }

    private void Group(string name, params (string Method, int Length, Action<JsValue[]> Body)[] methods)
    {
        var group = new JsObject(sandbox.Engine);
        foreach (var (method, length, body) in methods)
        {
            group.FastSetDataProperty(method, new ClrFunction(sandbox.Engine, method, (_, arguments) =>
            {
                body(arguments);
                return Object;
            }, length));
        }

        Object.FastSetDataProperty(name, group);
    }

    private JsonObject Multifactor(JsValue[] arguments)
    {
        var provider = Argument(arguments, 0);
        if (!provider.IsString())
        {
            throw TypeError("api.multifactor.enable needs a provider name such as 'any'");
        }

        var request = new JsonObject { ["provider"] = provider.AsString() };
        if (Argument(arguments, 1) is ObjectInstance options && options.Get("allowRememberBrowser") is var remember && remember.IsBoolean())
        {
            request["allowRememberBrowser"] = remember.AsBoolean();
        }

        return request;
    }

    /// <summary>
    /// Records a challenge or enrollment with these factors, and each factor's own <c>options</c> object
    /// (<c>{type: 'phone', options: {preferredMethod: 'voice'}}</c>), the first given for a type.
    /// </summary>
    private void RequestFactors(IReadOnlyList<JsValue> factors, bool enroll)
    {
        var types = factors.Select(FactorType).ToList();
        var options = new JsonObject();
        foreach (var (factor, type) in factors.Zip(types))
        {
            if (factor is ObjectInstance factorObject && factorObject.Get("options") is ObjectInstance given && !options.ContainsKey(type))
            {
                options[type] = Json(given, "factor options");
            }
        }

        sandbox.Outputs.RequestFactors(types, enroll, options);
    }

    private List<JsValue> FactorWithAdditional(JsValue[] arguments)
    {
        var first = Argument(arguments, 0);
        var additional = Argument(arguments, 1) is ObjectInstance options && options.Get("additionalFactors") is var more && !more.IsUndefined()
            ? FactorList(more, "additionalFactors")
            : [];
        return [first, .. additional];
    }

    private List<JsValue> FactorList(JsValue factors, string method)
    {
        if (!factors.IsArray() || factors.AsArray().Length == 0)
        {
            throw TypeError($"{method} needs a non-empty array of factors such as [{{ type: 'otp' }}]");
        }

        var array = factors.AsArray();
        return Enumerable.Range(0, (int)array.Length).Select(index => array.Get(index)).ToList();
    }

    private string FactorType(JsValue factor)
    {
        var type = factor is ObjectInstance factorObject ? factorObject.Get("type") : factor;
        if (!type.IsString() || !Policy.FactorType.IsKnown(type.AsString()))
        {
            throw TypeError($"unknown factor type '{TypeConverter.ToString(type)}'; use one of {string.Join(", ", Policy.FactorType.All)}");
        }

        return type.AsString();
    }

    private void SetClaim(JsonObject claims, string token, JsValue[] arguments)
    {
        var claim = Name(arguments, "setCustomClaim");
        if (ReservedClaims.Contains(claim))
        {
            sandbox.Outputs.Log(actionId, "warn", $"api.{token}.setCustomClaim('{claim}') names a reserved claim; it was dropped");
            return;
        }

        // As in the token's JSON, an undefined value leaves no claim (a Rule's context.idToken[k] = undefined neither).
        var value = Argument(arguments, 1);
        if (value.IsUndefined())
        {
            claims.Remove(claim);
            return;
        }

        claims[claim] = Json(value, token == "idToken" ? "ID token claims" : "access token claims");
    }

    private string? RedirectUrl(JsValue[] arguments)
    {
        var url = TypeConverter.ToString(Argument(arguments, 0));
        if (Argument(arguments, 1) is not ObjectInstance options || options.Get("query") is not ObjectInstance query)
        {
            return url;
        }

        var parameters = query.GetOwnPropertyKeys(Types.String)
            .Select(key => $"{Uri.EscapeDataString(key.AsString())}={Uri.EscapeDataString(TypeConverter.ToString(query.Get(key)))}");
        return url + (url.Contains('?') ? "&" : "?") + string.Join('&', parameters);
    }

    private string Name(JsValue[] arguments, string method)
    {
        var name = Argument(arguments, 0);
        return name.IsString() && name.AsString().Length > 0 ? name.AsString() : throw TypeError($"{method} needs a name as its first argument");
    }

    private JsonNode? Json(JsValue value, string output) => JsValueConverter.ToJson(sandbox.Engine, value, sandbox.Limits, output);

    private JavaScriptException TypeError(string message) => new(sandbox.Engine.Intrinsics.TypeError, message);

    private static JsValue Argument(JsValue[] arguments, int index) => index < arguments.Length ? arguments[index] : JsValue.Undefined;
}
