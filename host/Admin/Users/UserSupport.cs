using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Admin.Users;

/// <summary>
/// What support does to one user of the tenant, from the console, the admin API or the CLI: "Reset MFA" removes every
/// factor (each registered factor removes its own), forgets their browsers and ends their sessions at the apps, so that the
/// next login enrolls again; "Forget browsers" makes every remembered browser ask for MFA again. Each runs in one
/// transaction with its audit record: both are written or neither.
/// </summary>
public sealed class UserSupport(
    RulesMfaDbContext database, MfaFactors factors, RememberedBrowsers browsers, IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens, AuditTrail audit, TimeProvider clock)
{
    /// <summary>
    /// Removes the user's factors, forgets their browsers (one remembered before the reset, say on a lost laptop, would
    /// otherwise skip MFA again once the user has enrolled anew), ends their sessions at the hosted pages and their MFA API
    /// tokens (<see cref="UserRecord.SessionsValidFrom"/>: the laptop's session would otherwise enroll a factor without the
    /// password) and revokes their authorizations and tokens (a refresh token taken with the lost factor would otherwise
    /// keep working); audited as <c>mfa.reset</c>. User ids are unique
    /// across tenants, so the tokens revoked are this tenant's.
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

        // Sessions and MFA API tokens from before now are over, so a stolen laptop's session cannot enroll the thief's factor.
        // Rounded up to the whole millisecond, which every database keeps exactly: PostgreSQL cuts the time to the microsecond,
        // and a reset in a millisecond's first microsecond, cut back to that millisecond, let a session of that millisecond from
        // just before it pass (the cookie keeps milliseconds).
        var now = clock.GetUtcNow();
        var validFrom = new DateTimeOffset((now.UtcTicks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        await database.Users.Where(record => record.Id == user.Id).ExecuteUpdateAsync(record => record.SetProperty(value => value.SessionsValidFrom, validFrom), cancellationToken);
        var authorizationsRevoked = await authorizations.RevokeBySubjectAsync(user.Id, cancellationToken);
        var tokensRevoked = await tokens.RevokeBySubjectAsync(user.Id, cancellationToken);
        var summary = string.Join(", ", removed.Where(factor => factor.Count > 0).Select(factor => $"{factor.Count} {factor.Name}"));
        audit.Record(tenantId, actor, "mfa.reset", user.Id, detail:
            $"every factor of {user.Email} removed ({(summary.Length > 0 ? summary : "none enrolled")}), {forgotten} remembered browser(s) forgotten, " +
            $"{authorizationsRevoked} authorization(s) and {tokensRevoked} token(s) revoked");
        await database.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new MfaResetResult(removed, forgotten, authorizationsRevoked, tokensRevoked);
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
