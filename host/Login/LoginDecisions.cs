using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Admission;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Telemetry;

namespace RulesMfa.Host.Login;

/// <summary>
/// Runs the tenant's rules on a login and plans what the user must do (DESIGN "From decision to what the user
/// sees"). Saves the metadata patches the rules asked for, writes the <see cref="DecisionLog"/>, and logs the outcome by ids only.
/// </summary>
public sealed class LoginDecisions(
    RulesMfaDbContext database, TenantRules tenantRules, LoginContextFactory contexts, RememberedBrowsers rememberedBrowsers,
    DecisionLog decisionLog, EvaluationAdmission admission, TimeProvider clock, ILogger<LoginDecisions> logger)
{
    /// <summary>Why a login whose rules were not admitted is refused (<see cref="FactorPlan.Reason"/>).</summary>
    private const string NotAdmittedReason = "the tenant's rule evaluations were all busy";

    /// <param name="rememberedBrowserToken">The browser's remember-browser cookie, if any; looked at only when the rules allow remembering.</param>
    public async Task<(MfaDecision Decision, FactorPlan Plan)> DecideAsync(
        UserRecord user, LoginSession session, OpenIddictRequest request, string protocol, HttpContext http, string? rememberedBrowserToken,
        CancellationToken cancellationToken, bool alwaysMfa = false)
    {
        var input = await contexts.CreateAsync(user, session, request, protocol, LoginRequestFacts.Of(http), cancellationToken);
        var (login, unreadable) = input;
        if (unreadable is not null)
        {
            logger.RulesInputUnreadable(user.Id, session.TenantId, unreadable);
        }

        using var admitted = await admission.AdmitLoginAsync(session.TenantId, cancellationToken);
        if (admitted is AdmissionResult.Refused refused)
        {
            // Fail closed: a login whose rules cannot run now is refused with an error the client may retry on.
            var error = new DecisionError(DecisionError.TemporarilyUnavailable, refused.Problem);
            return (MfaDecision.NotEvaluated(error), new FactorPlan.Deny(error.Code, error.Description, NotAdmittedReason));
        }

        var (pipeline, settings, secrets) = await tenantRules.LoadAsync(session.TenantId, cancellationToken);
        var startedAt = Stopwatch.GetTimestamp();
        var decision = unreadable is null ? pipeline.Evaluate(login) : pipeline.FailClosed(unreadable);
        RulesMfaMetrics.RulesDecided(session.TenantId, protocol, decision, startedAt);
        admitted.Dispose(); // the place is for the rules; the database work after them needs none

        await SavePatchesAsync(user, decision, cancellationToken);

        // Read with the rules' context: rules cannot enroll a factor, and each factor's enrollment checks its own state.
        var enrolled = input.EnrolledFactors;
        var remembered = !alwaysMfa && decision.AllowRememberBrowser == true && rememberedBrowserToken is not null
            && await rememberedBrowsers.IsRememberedAsync(user.Id, rememberedBrowserToken, TimeSpan.FromDays(settings.RememberBrowserDays), cancellationToken);
        var plan = Plan(decision, settings, enrolled, AcrValues.RequestsMultiFactor(request.AcrValues) || alwaysMfa, session.DidMfa, remembered, alwaysMfa);
        if (plan is FactorPlan.Deny deny)
        {
            // The description reaches the user's browser; a secret a rule put into its error message does not.
            plan = deny with { Description = secrets.Redact(deny.Description) };
        }

        await decisionLog.WriteAsync(user, session.TenantId, request.ClientId, protocol, login, decision, plan, secrets, cancellationToken);
        if (plan is FactorPlan.None none && none.Reason.EndsWith(PlanReason.RememberedBrowser, StringComparison.Ordinal))
        {
            logger.RememberedBrowserUsed(user.Id, session.TenantId);
        }

        logger.RulesDecided(AuditWords.Of(decision.Outcome), user.Id, session.TenantId, request.ClientId, protocol, http.Connection.RemoteIpAddress?.ToString(),
            AuditWords.Of(plan), plan.Reason, string.Join(",", decision.Rules.Select(rule => $"{rule.Id}={AuditWords.Of(rule.Status)}")));
        foreach (var rule in decision.Rules.Where(rule => rule.Status is RuleStatus.Error or RuleStatus.Timeout or RuleStatus.Limit))
        {
            logger.RuleFaulted(rule.Id, session.TenantId, AuditWords.Of(rule.Status), user.Id,
                secrets.Redact(decision.Logs.LastOrDefault(log => log.Rule == rule.Id && log.Level == "error")?.Message ?? decision.Error?.Description ?? ""));
        }
        return (decision, plan);
    }

    /// <summary>
    /// What the tenant's policy makes of a decision (DESIGN's "From decision to what the user sees"); the console
    /// plans with this too. <paramref name="alwaysMfa"/> (the admin area) honours the step-up whatever the tenant's setting.
    /// </summary>
    public static FactorPlan Plan(
        MfaDecision decision, TenantSettings settings, IReadOnlyList<string> enrolled, bool stepUp, bool mfaDoneInSession, bool rememberedBrowser,
        bool alwaysMfa = false)
    {
        var mfaSettings = settings.ToMfaSettings(honorStepUp: alwaysMfa || settings.HonorStepUp);
        return MfaPolicy.Plan(new PolicyInput(decision, mfaSettings, enrolled.ToList(),
            StepUpRequested: stepUp, MfaDoneInSession: mfaDoneInSession, HasRememberedBrowser: rememberedBrowser));
    }

    private async Task SavePatchesAsync(UserRecord user, MfaDecision decision, CancellationToken cancellationToken)
    {
        if (decision.AppMetadata.Count == 0 && decision.UserMetadata.Count == 0)
        {
            return;
        }

        var tracked = await database.Users.SingleAsync(record => record.Id == user.Id, cancellationToken);
        tracked.AppMetadataJson = Merge(tracked.AppMetadataJson, decision.AppMetadata);
        tracked.UserMetadataJson = Merge(tracked.UserMetadataJson, decision.UserMetadata);
        tracked.UpdatedAt = clock.GetUtcNow();
        await database.SaveChangesAsync(cancellationToken);
    }

    private static string Merge(string json, JsonObject patch)
    {
        var metadata = JsonNode.Parse(json) as JsonObject ?? [];
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                metadata.Remove(name);
            }
            else
            {
                metadata[name] = value.DeepClone();
            }
        }

        return metadata.ToJsonString();
    }
}
