using RulesMfa.Host.Factors;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Admin.Users;

/// <summary>
/// What support does to one user of the tenant: "Reset MFA" removes every factor (each registered factor removes its own) and
/// forgets their browsers, so that the next login enrolls again; "Forget browsers" makes every remembered browser ask for MFA
/// again. Each runs in one transaction with its audit record: both are written or neither.
/// </summary>
public sealed class UserSupport(RulesMfaDbContext database, MfaFactors factors, RememberedBrowsers browsers, AuditTrail audit)
{
    /// <summary>
    /// Removes the user's factors and forgets their browsers (one remembered before the reset, say on a lost laptop, would
    /// otherwise skip MFA again once the user has enrolled anew); audited as <c>mfa.reset</c>.
    /// </summary>
    public async Task<MfaResetResult> ResetMfaAsync(string tenantId, UserRecord user, Actor actor, CancellationToken cancellationToken)
    {
        await using var transaction = await database.Database.BeginTransactionAsync(cancellationToken);
        var removed = new List<RemovedFactors>();
        foreach (var factor in factors.All)
        {
            removed.Add(new RemovedFactors(factor.Type, factor.DisplayName, await factor.RemoveAllAsync(database, user.Id, cancellationToken)));
        }

        var forgotten = await browsers.ForgetAllAsync(user.Id, cancellationToken);
        var summary = string.Join(", ", removed.Where(factor => factor.Count > 0).Select(factor => $"{factor.Count} {factor.Name}"));
        audit.Record(tenantId, actor, "mfa.reset", user.Id, detail:
            $"every factor of {user.Email} removed ({(summary.Length > 0 ? summary : "none enrolled")}) and {forgotten} remembered browser(s) forgotten");
        await database.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new MfaResetResult(removed, forgotten);
    }

    /// <summary>Revokes every remembered browser of the user; audited as <c>mfa.remembered-browsers-revoked</c>. Returns how many.</summary>
    public async Task<int> ForgetBrowsersAsync(string tenantId, UserRecord user, Actor actor, CancellationToken cancellationToken)
    {
        await using var transaction = await database.Database.BeginTransactionAsync(cancellationToken);
        var forgotten = await browsers.ForgetAllAsync(user.Id, cancellationToken);
        audit.Record(tenantId, actor, "mfa.remembered-browsers-revoked", user.Id, detail: $"{forgotten} remembered browser(s) of {user.Email} forgotten");
        await database.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return forgotten;
    }
}
