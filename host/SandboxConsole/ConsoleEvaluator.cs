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
using RulesMfa.Host.SandboxConsole.Replay;
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
    TenantConfiguration configuration, RecordedLogins recordedLogins, GeoIpLookup geoIp, TimeProvider clock)
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

        RecordedLogin? replayed = null;
        if (request.Replay is { } replayId && (replayed = await recordedLogins.GetAsync(tenantId, replayId, cancellationToken)) is null)
        {
            return (null, [new FieldError("replay", $"no recorded login {replayId} in this tenant (the log keeps the newest {DecisionLog.KeptPerTenant:N0})")]);
        }

        var now = request.Now ?? replayed?.At ?? clock.GetUtcNow();
        var (pipeline, settings, secrets) = await tenantRules.LoadAsync(tenantId, sources, new FixedTimeProvider(now), forLogins: false, cancellationToken,
            request.Configuration);
        var (input, enrolled, stepUp, problem) = replayed is not null
            ? FromInput(replayed.Input as JsonObject, "replay")
            : await InputAsync(tenantId, request, now, cancellationToken);
        if (problem is not null)
        {
            return (null, [problem]);
        }

        var (login, unreadable) = input!;
        var decision = unreadable is null ? pipeline.Evaluate(login) : pipeline.FailClosed(unreadable);
        var plan = PlanView.Of(LoginDecisions.Plan(decision, settings, enrolled, stepUp, mfaDoneInSession: false, rememberedBrowser: false));

        // The rules had placeholders only, but a real user's stored metadata may hold a secret an earlier login's rule wrote.
        var tenant = await database.Tenants.AsNoTracking().SingleAsync(record => record.Id == tenantId, cancellationToken);
        var values = new Dictionary<string, string>(configuration.ValuesForRuns(tenant), StringComparer.Ordinal);
        foreach (var (name, value) in request.Configuration ?? new Dictionary<string, string>())
        {
            values[name] = value;
        }

        var secretNames = (await configuration.ListAsync(tenantId, cancellationToken))
            .Where(entry => entry.Secret && request.Configuration?.ContainsKey(entry.Name) != true).Select(entry => entry.Name);
        var resolved = new ResolvedInput(
            (JsonObject)secrets.Redact(new JsonObject { ["user"] = login.User.DeepClone(), ["context"] = login.Context.DeepClone() })!,
            (JsonObject)secrets.Redact(ActionsEventProjection.Project(login, values))!,
            InputHints.Of(login, unreadable, geoIp.IsConfigured, fromAnInput: request.Input is not null && replayed is null, secretNames));
        return (new ConsoleResult((JsonObject)secrets.Redact(MfaDecisionJson.ToJsonObject(decision))!, plan with { Reason = secrets.Redact(plan.Reason) },
            resolved.RulesView, resolved, replayed is null ? null : replayed with { Input = null }), []);
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

    internal static List<FieldError> CompileErrors(RuleCompiler compiler, IReadOnlyList<RuleSource> sources)
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

        return request.Input is { } input
            ? FromInput(input, "input")
            : (null, [], false, new FieldError("input", "give \"input\" ({\"user\": ..., \"context\": ...}), \"login\" (a user of this tenant) or \"replay\" (a recorded login)"));
    }

    /// <summary>A login given in the Rules view (written, or recorded): the enrolled factors and the step-up request come from it.</summary>
    private static (LoginInput? Input, IReadOnlyList<string> Enrolled, bool StepUp, FieldError? Problem) FromInput(JsonObject? input, string field)
    {
        try
        {
            var login = LoginContext.FromRulesView(input);
            // Any part may be of any type (a JsonValue's indexer throws): only objects are looked into.
            var enrolled = login.User["enrolledFactors"] is JsonArray factors
                ? factors.Select(factor => TextOf((factor as JsonObject)?["type"])).OfType<string>().ToList()
                : [];
            var acr = TextOf(((login.Context["request"] as JsonObject)?["query"] as JsonObject)?["acr_values"]);
            return (LoginInput.Of(login), enrolled, AcrValues.RequestsMultiFactor(acr), null);
        }
        catch (LoginContextFormatException invalid)
        {
            return (null, [], false, new FieldError(field, invalid.Message));
        }
    }

    private static string? TextOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

/// <summary>
/// What the console shows: the decision, the plan after the tenant policy, the exact input the rules saw (<see cref="Input"/>,
/// the Rules view, kept for test cases; <see cref="Resolved"/> adds the Actions <c>event</c> and hints), and for a replay the
/// recorded login to compare with.
/// </summary>
public sealed record ConsoleResult(JsonObject Decision, PlanView Plan, JsonObject Input, ResolvedInput Resolved, RecordedLogin? Recorded);

/// <summary>The input as the rules received it: the Rules view (<c>user</c>, <c>context</c>), the Actions <c>event</c>, and why parts are missing.</summary>
public sealed record ResolvedInput(JsonObject RulesView, JsonObject Event, IReadOnlyList<InputHint> Hints);

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
