using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Duo;

/// <summary>
/// The <c>state</c> values of trips to Duo: issued for one user's MFA transaction, taken once by the callback. Taking is
/// one conditional update in the database, so of two callbacks with one state (a replayed answer) only the first gets it.
/// </summary>
public sealed class DuoStates(RulesMfaDbContext database, TimeProvider clock)
{
    /// <summary>How long a state waits for Duo's answer: 10 minutes (Duo's prompt itself times out sooner).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A new state for the user's transaction: 36 characters (27 random bytes, base64url), as Duo's clients make them; the
    /// user's expired states are removed.
    /// </summary>
    public async Task<string> IssueAsync(string userId, string requestHash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expired = (await database.Set<DuoStateRecord>().Where(record => record.UserId == userId).ToListAsync(cancellationToken))
            .Where(record => record.ExpiresAt <= now);
        database.RemoveRange(expired);
        var state = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(27));
        var record = new DuoStateRecord { StateHash = Hash(state), UserId = userId, RequestHash = requestHash, ExpiresAt = now + Lifetime };
        database.Add(record);
        await database.SaveChangesAsync(cancellationToken);
        database.Entry(record).State = EntityState.Detached;
        return state;
    }

    /// <summary>Takes <paramref name="state"/> for this user's transaction: null when taken, else why not (for the audit log).</summary>
    public async Task<string?> TakeAsync(string? state, string userId, string requestHash, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(state) || state.Length > 1024)
        {
            return "no state, or not one of ours";
        }

        var hash = Hash(state);
        var found = await database.Set<DuoStateRecord>().AsNoTracking().FirstOrDefaultAsync(record => record.StateHash == hash, cancellationToken);
        var now = clock.GetUtcNow();
        if (found is null)
        {
            return "unknown state";
        }

        if (found.UserId != userId || found.RequestHash != requestHash)
        {
            return "state of another sign-in";
        }

        if (found.ExpiresAt <= now)
        {
            return "state expired";
        }

        // Two callbacks with one state can both get here: only the one that marks it used goes on.
        var taken = await database.Set<DuoStateRecord>().Where(record => record.Id == found.Id && record.UsedAt == null)
            .ExecuteUpdateAsync(record => record.SetProperty(column => column.UsedAt, now), cancellationToken);
        return taken == 1 ? null : "state already used (a replayed answer)";
    }

    /// <summary>Removes the user's states (<c>reset-mfa</c>).</summary>
    public static Task<int> RemoveAllAsync(RulesMfaDbContext database, string userId, CancellationToken cancellationToken) =>
        database.Set<DuoStateRecord>().Where(record => record.UserId == userId).ExecuteDeleteAsync(cancellationToken);

    private static string Hash(string state) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));
}
