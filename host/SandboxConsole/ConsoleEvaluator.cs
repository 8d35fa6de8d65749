using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Login;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.SandboxConsole.Drafts;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.SandboxConsole;

/// <summary>
/// Runs a console request through the tenant's own pipeline builder, input builder and policy, so the console's
/// decision for a given login is the one a real login with the same input gets (unless a rule reads a secret: the
/// console never has its value, see <see cref="TenantConfiguration.ValuesForRuns"/>). Nothing is saved: metadata patches
/// are shown, not applied. A draft obeys the limits of saved rules (how many, how long).
/// </summary>
public sealed class ConsoleEvaluator(
    RulesMfaDbContext database, TenantRules tenantRules, LoginContextFactory contexts, EnrolledFactors enrolledFactors, RuleCompiler compiler,
    TimeProvider clock)
{
    /// <summary>The outcome, or the request's problems (a rule that does not compile carries its line and column).</summary>
    public async Task<(ConsoleResult? Result, IReadOnlyList<FieldError> Errors)> EvaluateAsync(
        string tenantId, ConsoleRequest request, CancellationToken cancellationToken)
    {
        if (request.Rules is { } drafts && DraftLimits.Problems(drafts) is { Count: > 0 } draftErrors)
        {
            return (null, draftErrors);
        }

        var sources = request.Rules is null
            ? await tenantRules.DeployedAsync(tenantId, cancellationToken)
            : request.Rules.Select(rule => RuleSource.Inline(rule.Id, rule.Source)).ToList();
        var errors = CompileErrors(compiler.For(tenantId), sources);
        if (ConfigurationError(request.Configuration) is { } invalidConfiguration)
        {
            errors.Add(invalidConfiguration);
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var now = request.Now ?? clock.GetUtcNow();
        var (pipeline, settings, secrets) = await tenantRules.LoadAsync(tenantId, sources, new FixedTimeProvider(now), forLogins: false, cancellationToken,
            request.Configuration);
        var (input, enrolled, stepUp, problem) = await InputAsync(tenantId, request, now, cancellationToken);
        if (problem is not null)
        {
            return (null, [problem]);
        }

        var (login, unreadable) = input!;
        var decision = unreadable is null ? pipeline.Evaluate(login) : pipeline.FailClosed(unreadable);
        var plan = PlanView.Of(LoginDecisions.Plan(decision, settings, enrolled, stepUp, mfaDoneInSession: false, rememberedBrowser: false));

        // The rules had placeholders only, but a real user's stored metadata may hold a secret an earlier login's rule wrote.
        var shown = new JsonObject { ["user"] = secrets.Redact(login.User.DeepClone()), ["context"] = secrets.Redact(login.Context.DeepClone()) };
        return (new ConsoleResult((JsonObject)secrets.Redact(MfaDecisionJson.ToJsonObject(decision))!, plan with { Reason = secrets.Redact(plan.Reason) }, shown), []);
    }

    private static FieldError? ConfigurationError(IReadOnlyDictionary<string, string>? configuration)
    {
        if (configuration is null)
        {
            return null;
        }

        if (configuration.Count > TenantConfiguration.MaxEntries)
        {
            return new FieldError("configuration", $"at most {TenantConfiguration.MaxEntries} values");
        }

        return configuration.FirstOrDefault(pair => pair.Value is null || pair.Value.Length > TenantConfiguration.MaxValueLength) is { Key: { } name }
            ? new FieldError($"configuration.{name}", $"a string of at most {TenantConfiguration.MaxValueLength:N0} characters is required")
            : null;
    }

    private static List<FieldError> CompileErrors(RuleCompiler compiler, IReadOnlyList<RuleSource> sources)
    {
        var errors = new List<FieldError>();
        foreach (var (source, index) in sources.Select((source, index) => (source, index)))
        {
            try
            {
                compiler.Compile(source);
            }
            catch (RuleCompilationException invalid)
            {
                errors.Add(new FieldError($"rules[{index}].source", $"{source.Id}: {invalid.Description}", invalid.Line, invalid.Column));
            }
        }

        return errors;
    }

    private async Task<(LoginInput? Input, IReadOnlyList<string> Enrolled, bool StepUp, FieldError? Problem)> InputAsync(
        string tenantId, ConsoleRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.Login is { } chosen)
        {
            var user = await database.Users.SingleOrDefaultAsync(record => record.Id == chosen.UserId && record.TenantId == tenantId, cancellationToken);
            if (user is null)
            {
                return (null, [], false, new FieldError("login.userId", $"no user '{chosen.UserId}' in this tenant"));
            }

            IPAddress? ip = null;
            if (chosen.Ip is { Length: > 0 } && !IPAddress.TryParse(chosen.Ip, out ip))
            {
                return (null, [], false, new FieldError("login.ip", $"'{chosen.Ip}' is not an IP address"));
            }

            var authorization = new OpenIddictRequest { ClientId = chosen.ClientId, AcrValues = chosen.AcrValues, ResponseType = "code", Scope = "openid" };
            foreach (var (name, value) in chosen.Query ?? [])
            {
                authorization.SetParameter(name, value?.ToString());
            }

            var session = new LoginSession(user.Id, tenantId, "console", now, null, ["pwd"]);
            var facts = new LoginRequestFacts(ip, chosen.Hostname ?? "localhost", chosen.UserAgent ?? "");
            var login = await contexts.CreateAsync(user, session, authorization, chosen.Protocol ?? "oidc-basic-profile", facts, cancellationToken);
            var enrolled = await enrolledFactors.OfUserAsync(user.Id, cancellationToken);
            return (login, enrolled, AcrValues.RequestsMultiFactor(authorization.AcrValues), null);
        }

        if (request.Input is { } input)
        {
            try
            {
                var login = LoginContext.FromRulesView(input);
                var enrolled = login.User["enrolledFactors"] is JsonArray factors
                    ? factors.Select(factor => TextOf(factor?["type"])).OfType<string>().ToList()
                    : [];
                var acr = TextOf(login.Context["request"]?["query"]?["acr_values"]);
                return (LoginInput.Of(login), enrolled, AcrValues.RequestsMultiFactor(acr), null);
            }
            catch (LoginContextFormatException invalid)
            {
                return (null, [], false, new FieldError("input", invalid.Message));
            }
        }

        return (null, [], false, new FieldError("input", "give either \"input\" ({\"user\": ..., \"context\": ...}) or \"login\" (a user of this tenant)"));
    }

    private static string? TextOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

/// <summary>What the console shows: the decision, the plan after the tenant policy, and the exact input the rules saw.</summary>
public sealed record ConsoleResult(JsonObject Decision, PlanView Plan, JsonObject Input);

/// <summary>
/// The tenant policy's plan: what the user would be asked for, with which factors, and why; <see cref="ThenEnroll"/> the
/// factors to enroll after passing the challenge.
/// </summary>
public sealed record PlanView(string Kind, IReadOnlyList<string> Factors, string Reason, IReadOnlyList<string> ThenEnroll)
{
    public static PlanView Of(FactorPlan plan) => plan switch
    {
        FactorPlan.Challenge challenge => new("challenge", challenge.Factors, plan.Reason, challenge.ThenEnroll),
        FactorPlan.Enroll enroll => new("enroll", enroll.Factors, plan.Reason, []),
        FactorPlan.Deny deny => new("deny", [], $"{deny.Code}: {deny.Description} ({plan.Reason})", []),
        _ => new("none", [], plan.Reason, []),
    };
}
