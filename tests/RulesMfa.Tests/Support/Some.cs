using System.Text.Json.Nodes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;

namespace RulesMfa.Tests.Support;

/// <summary>Test data and one-line evaluation of inline rules.</summary>
internal static class Some
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 30, 0, TimeSpan.Zero);

    /// <summary>A typical login in the Rules view; <paramref name="user"/> and <paramref name="context"/> are merged over it.</summary>
    public static LoginContext Login(string? user = null, string? context = null)
    {
        var baseUser = JsonNode.Parse("""
            {"user_id": "auth0|64f1c0ffee", "email": "ada@example.com", "email_verified": true, "name": "Ada",
             "app_metadata": {"roles": ["admin"]}, "user_metadata": {}, "multifactor": [], "enrolledFactors": [{"type": "otp"}]}
            """)!.AsObject();
        var baseContext = JsonNode.Parse("""
            {"tenant": "demo", "clientID": "client-web", "clientName": "Web", "connection": "Username-Password-Authentication",
             "connectionStrategy": "auth0", "protocol": "oidc-basic-profile", "sessionID": "s-1", "stats": {"loginsCount": 7},
             "request": {"ip": "203.0.113.9", "hostname": "login.example.com", "userAgent": "Mozilla/5.0",
                         "query": {"scope": "openid profile", "acr_values": ""},
                         "geoip": {"country_code": "NL", "country_name": "Netherlands", "city_name": "Amsterdam"}},
             "authentication": {"methods": [{"name": "pwd", "timestamp": 1764066600000}]}}
            """)!.AsObject();
        Merge(baseUser, user);
        Merge(baseContext, context);
        return LoginContext.Create(baseUser, baseContext);
    }

    public static CompiledRule Rule(string id, string source) => RuleCompiler.Shared.Compile(RuleSource.Inline(id, source));

    /// <summary>Evaluates the sources as rules r1, r2, ... on a typical login at <see cref="Now"/>.</summary>
    public static MfaDecision Decision(params string[] sources) => Decision(Login(), sources);

    public static MfaDecision Decision(LoginContext login, params string[] sources) => Decision(login, new RulePipelineSettings(), sources);

    public static MfaDecision Decision(LoginContext login, RulePipelineSettings settings, params string[] sources) =>
        Pipeline(settings, sources).Evaluate(login);

    public static RulePipeline Pipeline(RulePipelineSettings settings, params string[] sources) =>
        new(sources.Select((source, index) => Rule($"r{index + 1}", source)), settings, new FixedTimeProvider(Now));

    private static void Merge(JsonObject target, string? overrides)
    {
        if (overrides is null)
        {
            return;
        }

        foreach (var (name, value) in JsonNode.Parse(overrides)!.AsObject())
        {
            target[name] = value?.DeepClone();
        }
    }
}
