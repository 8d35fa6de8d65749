using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Login;

/// <summary>
/// Keeps each login's input and decision for the admins' decision log and the console's replay: the newest
/// <see cref="KeptPerTenant"/> per tenant. The tenant's secret configuration values are hidden wherever they appear
/// whole (a rule that logs a secret, or puts it into a claim: the token still carries it, the log does not).
/// </summary>
public sealed class DecisionLog(RulesMfaDbContext database, TimeProvider clock)
{
    /// <summary>How many decisions the log keeps per tenant: the newest; older ones are pruned every <see cref="PruneEvery"/> logins.</summary>
    public const int KeptPerTenant = 5_000;

    private const int PruneEvery = 100;

    public async Task WriteAsync(
        UserRecord user, string tenantId, string? clientId, string protocol, LoginContext login, MfaDecision decision, FactorPlan plan, SecretRedaction secrets,
        CancellationToken cancellationToken)
    {
        var decisionJson = MfaDecisionJson.ToJsonObject(decision);
        var record = database.Decisions.Add(new DecisionRecord
        {
            TenantId = tenantId, UserId = user.Id, At = clock.GetUtcNow(), ClientId = clientId, Protocol = protocol,
            InputJson = $"{{\"user\":{secrets.Redact(login.User)!.ToJsonString()},\"context\":{secrets.Redact(login.Context)!.ToJsonString()}}}",
            DecisionJson = secrets.Redact(decisionJson)!.ToJsonString(),
            Outcome = decisionJson["outcome"]?.GetValue<string>(),
            Plan = $"{plan.GetType().Name}: {plan.Reason}",
        }).Entity;
        await database.SaveChangesAsync(cancellationToken);
        if (record.Id % PruneEvery != 0)
        {
            return;
        }

        var oldestKept = await database.Decisions.Where(record => record.TenantId == tenantId).OrderByDescending(record => record.Id)
            .Skip(KeptPerTenant - 1).Select(record => (long?)record.Id).FirstOrDefaultAsync(cancellationToken);
        if (oldestKept is { } keepFrom)
        {
            await database.Decisions.Where(record => record.TenantId == tenantId && record.Id < keepFrom).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
