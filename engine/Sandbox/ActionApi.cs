using System.Text;
using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// The <c>api</c> of a post-login Action. Each method records its request in the login's
/// <see cref="RuleOutputs"/> at once, so a later call (or a later Action) wins; methods return <c>api</c>. A pooled
/// engine makes one per Action when it is prepared and every login reuses it (<see cref="Begin"/>), so its objects and
/// functions are recorded with the rest of the engine's state (see Pooling/EnginePool); a fresh engine makes one per run.
/// </summary>
internal sealed class ActionApi
{
    private readonly JintEngine engine;
    private readonly string actionId;
    private LoginSandbox? sandbox;

    public ActionApi(JintEngine engine, string actionId)
    {
        this.engine = engine;
        this.actionId = actionId;
        Object = new JsObject(engine);

        Group("access", ("deny", 1, arguments => Denial ??= TypeConverter.ToString(Argument(arguments, 0))));
        Group("multifactor", ("enable", 2, arguments => Sandbox.Outputs.RequestProvider(Multifactor(arguments))));
        Group("authentication",
            ("challengeWith", 2, arguments => RequestFactors(FactorWithAdditional(arguments), enroll: false)),
            ("challengeWithAny", 1, arguments => RequestFactors(FactorList(Argument(arguments, 0), "challengeWithAny"), enroll: false)),
            ("enrollWith", 2, arguments => RequestFactors(FactorWithAdditional(arguments), enroll: true)),
            ("enrollWithAny", 1, arguments => RequestFactors(FactorList(Argument(arguments, 0), "enrollWithAny"), enroll: true)));
        Group("idToken", ("setCustomClaim", 2, arguments => SetClaim(Sandbox.Outputs.IdTokenClaims, "idToken", arguments)));
        Group("accessToken", ("setCustomClaim", 2, arguments => SetClaim(Sandbox.Outputs.AccessTokenClaims, "accessToken", arguments)));
        Group("user",
            ("setAppMetadata", 2, arguments => Sandbox.Outputs.AppMetadata[Name(arguments, "setAppMetadata")] = Json(Argument(arguments, 1), "app_metadata patch")),
            ("setUserMetadata", 2, arguments => Sandbox.Outputs.UserMetadata[Name(arguments, "setUserMetadata")] = Json(Argument(arguments, 1), "user_metadata patch")));
        Group("redirect", ("sendUserTo", 2, arguments => Sandbox.Outputs.RequestRedirect(actionId, RedirectUrl(arguments), "api.redirect.sendUserTo")));
    }

    public JsObject Object { get; }

    /// <summary>The reason of the first <c>api.access.deny</c> of this run, or null.</summary>
    public string? Denial { get; private set; }

    private LoginSandbox Sandbox => sandbox ?? throw new InvalidOperationException("An Action's api was called outside a run of the Action.");

    /// <summary>Starts a run of the Action in <paramref name="login"/>: nothing denied yet.</summary>
    public ActionApi Begin(LoginSandbox login)
    {
        sandbox = login;
        Denial = null;
        return this;
    }

    private void Group(string name, params (string Method, int Length, Action<JsValue[]> Body)[] methods)
    {
        var group = new JsObject(engine);
        foreach (var (method, length, body) in methods)
        {
            group.FastSetDataProperty(method, new ClrFunction(engine, method, (_, arguments) =>
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
        if (Argument(arguments, 1) is not ObjectInstance options)
        {
            return request;
        }

        if (options.Get("allowRememberBrowser") is var remember && remember.IsBoolean())
        {
            request["allowRememberBrowser"] = remember.AsBoolean();
        }

        if (options.Get("providerOptions") is ObjectInstance providerOptions)
        {
            request["providerOptions"] = ProviderOptions(providerOptions);
        }

        return request;
    }

    /// <summary>
    /// A provider's own options, as Auth0 takes them for Duo (<c>{host, ikey, skey, username}</c>): string values only, each
    /// under a name a provider reads, so nothing else of the rule's reaches the MFA pages.
    /// </summary>
    private static JsonObject ProviderOptions(ObjectInstance options)
    {
        var kept = new JsonObject();
        foreach (var name in ProviderOptionNames)
        {
            if (options.Get(name) is var value && value.IsString())
            {
                kept[name] = value.AsString();
            }
        }

        return kept;
    }

    private static readonly string[] ProviderOptionNames = ["host", "ikey", "skey", "username"];

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

        Sandbox.Outputs.RequestFactors(types, enroll, options);
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
            Sandbox.Outputs.Log(actionId, "warn", $"api.{token}.setCustomClaim('{claim}') names a reserved claim; it was dropped");
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

    /// <summary>
    /// The URL with the query's parameters escaped onto it, refused as soon as it is longer than the output limit:
    /// a hundred parameters of one megabyte each were escaped and joined in full (4 GB, 17 s) before the size check.
    /// </summary>
    private string? RedirectUrl(JsValue[] arguments)
    {
        var url = TypeConverter.ToString(Argument(arguments, 0));
        if (Argument(arguments, 1) is not ObjectInstance options || options.Get("query") is not ObjectInstance query)
        {
            return url;
        }

        var max = Sandbox.Limits.MaxOutputBytes;
        var built = new StringBuilder(url).Append(url.Contains('?') ? '&' : '?');
        var separator = "";
        foreach (var key in OwnKeys.Named(query))
        {
            var name = key.AsString();
            var value = TypeConverter.ToString(query.Get(key));
            // Escaping only lengthens, so a parameter already too long unescaped is refused before it is escaped.
            if (built.Length + separator.Length + name.Length + 1 + value.Length > max)
            {
                throw RedirectTooLarge(max);
            }

            built.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = "&";
        }

        return built.Length > max ? throw RedirectTooLarge(max) : built.ToString();
    }

    private static SandboxLimitException RedirectTooLarge(int max) => new(SandboxLimit.OutputSize, $"made the redirect URL larger than {max:N0} bytes");

    private string Name(JsValue[] arguments, string method)
    {
        var name = Argument(arguments, 0);
        return name.IsString() && name.AsString().Length > 0 ? name.AsString() : throw TypeError($"{method} needs a name as its first argument");
    }

    private JsonNode? Json(JsValue value, string output) => JsValueConverter.ToJson(engine, value, Sandbox.Limits, output);

    private JavaScriptException TypeError(string message) => new(engine.Intrinsics.TypeError, message);

    private static JsValue Argument(JsValue[] arguments, int index) => index < arguments.Length ? arguments[index] : JsValue.Undefined;
}
