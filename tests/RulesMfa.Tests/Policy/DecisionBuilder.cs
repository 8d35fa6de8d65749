using System.Text.Json.Nodes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Tests.Policy;

/// <summary>Builds an <see cref="MfaDecision"/> directly, with the outcome the engine would give unless told otherwise.</summary>
internal sealed class DecisionBuilder
{
    private readonly List<string> factors = [];
    private readonly List<RuleTrace> rules = [];
    private JsonObject? multifactor;
    private bool enroll;
    private DecisionError? error;
    private DecisionOutcome? outcome;
    private string? redirect;

    /// <summary>No rule asked for anything.</summary>
    public static DecisionBuilder Allow() => new();

    /// <summary><c>context.multifactor = { provider, allowRememberBrowser }</c>; the option is left out when null.</summary>
    public static DecisionBuilder Provider(string provider, bool? allowRememberBrowser = null) => new DecisionBuilder().WithProvider(provider, allowRememberBrowser);

    /// <summary><c>api.authentication.challengeWithAny</c> with these types.</summary>
    public static DecisionBuilder ChallengeWith(params string[] types) => new DecisionBuilder().WithFactors(types, enroll: false);

    /// <summary><c>api.authentication.enrollWithAny</c> with these types.</summary>
    public static DecisionBuilder EnrollWith(params string[] types) => new DecisionBuilder().WithFactors(types, enroll: true);

    /// <summary>A rule denied with this error.</summary>
    public static DecisionBuilder Denied(string code, string description) => new() { error = new DecisionError(code, description) };

    /// <summary>A rule timed out under the require-MFA fail mode, as the engine builds it.</summary>
    public static DecisionBuilder FaultedToMfa()
    {
        var builder = new DecisionBuilder().WithProvider("any", allowRememberBrowser: false);
        builder.rules.Add(new RuleTrace("r1", "slow", RuleKind.Rule, "sha256:00", RuleStatus.Timeout, 5000));
        return builder;
    }

    /// <summary>Overrides the outcome the engine would compute, for decisions it would not build.</summary>
    public DecisionBuilder WithOutcome(DecisionOutcome value)
    {
        outcome = value;
        return this;
    }

    /// <summary><c>context.redirect = { url }</c> or <c>api.redirect.sendUserTo(url)</c>.</summary>
    public DecisionBuilder WithRedirect(string url)
    {
        redirect = url;
        return this;
    }

    public DecisionBuilder WithMultifactor(JsonObject? request)
    {
        multifactor = request;
        return this;
    }

    public MfaDecision Build()
    {
        var provider = multifactor?["provider"] is JsonValue value && value.TryGetValue<string>(out var name) ? name : null;
        var computed = error is not null ? DecisionOutcome.Deny
            : (provider is not null && provider != "none") || factors.Count > 0 ? DecisionOutcome.Mfa
            : DecisionOutcome.Allow;
        var remember = multifactor?["allowRememberBrowser"] is JsonValue option && option.TryGetValue<bool>(out var allow) ? allow : (bool?)null;

        return new MfaDecision(
            Outcome: outcome ?? computed,
            Multifactor: multifactor,
            Factors: factors.ToList(),
            Enroll: enroll,
            AllowRememberBrowser: remember,
            Error: error,
            IdTokenClaims: [],
            AccessTokenClaims: [],
            AppMetadata: [],
            UserMetadata: [],
            Redirect: redirect,
            Logs: [],
            Rules: rules.ToList());
    }

    private DecisionBuilder WithProvider(string provider, bool? allowRememberBrowser)
    {
        multifactor = new JsonObject { ["provider"] = provider };
        if (allowRememberBrowser is { } allow)
        {
            multifactor["allowRememberBrowser"] = allow;
        }

        return this;
    }

    private DecisionBuilder WithFactors(IEnumerable<string> types, bool enroll)
    {
        factors.AddRange(types);
        this.enroll = enroll;
        return this;
    }
}
