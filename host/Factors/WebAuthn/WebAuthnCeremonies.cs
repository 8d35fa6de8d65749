using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>
/// The ceremonies a user has open: each is started with its options and taken once. Taking deletes it, so of two answers to
/// one challenge only the first is checked, and one older than <see cref="Lifetime"/> is refused.
/// </summary>
public sealed class WebAuthnCeremonies(RulesMfaDbContext database, TimeProvider clock)
{
    /// <summary>How long the browser has to answer: 5 minutes (the options' own timeout is the same).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>Keeps a new ceremony; the user's expired ones are deleted on the way.</summary>
    public async Task<long> StartAsync(string userId, string purpose, string optionsJson, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var open = await database.Set<WebAuthnCeremonyRecord>().AsNoTracking().Where(record => record.UserId == userId)
            .Select(record => new { record.Id, record.ExpiresAt }).ToListAsync(cancellationToken);
        var expired = open.Where(record => record.ExpiresAt <= now).Select(record => record.Id).ToList();
        if (expired.Count > 0)
        {
            await database.Set<WebAuthnCeremonyRecord>().Where(record => expired.Contains(record.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        var ceremony = new WebAuthnCeremonyRecord { UserId = userId, Purpose = purpose, OptionsJson = optionsJson, ExpiresAt = now + Lifetime };
        database.Add(ceremony);
        await database.SaveChangesAsync(cancellationToken);
        database.Entry(ceremony).State = EntityState.Detached;
        return ceremony.Id;
    }

    /// <summary>The options of the user's ceremony <paramref name="id"/> for <paramref name="purpose"/>, deleting it; null when it is not theirs, was taken or expired.</summary>
    public async Task<string?> TakeAsync(string userId, long id, string purpose, CancellationToken cancellationToken)
    {
        var ceremony = await database.Set<WebAuthnCeremonyRecord>().AsNoTracking()
            .FirstOrDefaultAsync(record => record.Id == id && record.UserId == userId && record.Purpose == purpose, cancellationToken);
        if (ceremony is null)
        {
            return null;
        }

        // Two answers to one challenge can both get here: only the one that deletes it goes on.
        var taken = await database.Set<WebAuthnCeremonyRecord>().Where(record => record.Id == id).ExecuteDeleteAsync(cancellationToken) == 1;
        return taken && clock.GetUtcNow() < ceremony.ExpiresAt ? ceremony.OptionsJson : null;
    }
}
