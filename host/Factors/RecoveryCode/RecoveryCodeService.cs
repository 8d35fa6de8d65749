using Microsoft.EntityFrameworkCore;
using EngineRecoveryCode = RulesMfa.Engine.Factors.RecoveryCode;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.RecoveryCode;

/// <summary>
/// A user's recovery code, as Auth0 does it: one active code, stored hashed, single use; using it issues a new one.
/// </summary>
public sealed class RecoveryCodeService(RulesMfaDbContext database, TimeProvider clock)
{
    /// <summary>
    /// The user's first recovery code, issued at their first enrollment; null when they already hold an unused one,
    /// which an added factor never replaces.
    /// </summary>
    public async Task<string?> IssueFirstAsync(string userId, CancellationToken cancellationToken) =>
        await HoldsOneAsync(userId, cancellationToken)
            ? null
            : await IssueAsync(userId, cancellationToken);

    /// <summary>True when the user holds an unused recovery code.</summary>
    public Task<bool> HoldsOneAsync(string userId, CancellationToken cancellationToken) =>
        database.RecoveryCodes.AnyAsync(code => code.UserId == userId && code.UsedAt == null, cancellationToken);

    /// <summary>
    /// Makes the code whose hash is <paramref name="hash"/> (shown when an enrollment began) the user's first recovery code,
    /// unless they hold one already; true when it did.
    /// </summary>
    public async Task<bool> ActivateFirstAsync(string userId, string hash, CancellationToken cancellationToken)
    {
        if (await HoldsOneAsync(userId, cancellationToken))
        {
            return false;
        }

        database.RecoveryCodes.Add(new RecoveryCodeRecord { UserId = userId, Hash = hash, CreatedAt = clock.GetUtcNow() });
        await database.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Replaces any unused code with a new one and returns it; it is shown once and never stored in clear.</summary>
    public async Task<string> IssueAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await database.RecoveryCodes.Where(code => code.UserId == userId && code.UsedAt == null)
            .ExecuteUpdateAsync(code => code.SetProperty(record => record.UsedAt, now), cancellationToken);
        var code = EngineRecoveryCode.Generate();
        database.RecoveryCodes.Add(new RecoveryCodeRecord { UserId = userId, Hash = EngineRecoveryCode.Hash(code), CreatedAt = now });
        await database.SaveChangesAsync(cancellationToken);
        return code;
    }

    /// <summary>Uses the code if it matches an unused one; of two concurrent uses only one succeeds.</summary>
    public async Task<bool> RedeemAsync(string userId, string code, CancellationToken cancellationToken)
    {
        var candidates = await database.RecoveryCodes.AsNoTracking()
            .Where(record => record.UserId == userId && record.UsedAt == null).ToListAsync(cancellationToken);
        var match = candidates.FirstOrDefault(record => EngineRecoveryCode.Matches(code, record.Hash));
        if (match is null)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        return await database.RecoveryCodes.Where(record => record.Id == match.Id && record.UsedAt == null)
            .ExecuteUpdateAsync(record => record.SetProperty(value => value.UsedAt, now), cancellationToken) == 1;
    }
}
