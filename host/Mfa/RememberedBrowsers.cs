using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// The server side of "remember this browser" after MFA, as Auth0 does it: the cookie holds a random token,
/// the database only its hash; a remembered browser lasts <see cref="Lifetime"/> from when it was remembered
/// and lapses after <see cref="IdleTimeout"/> without use. An admin can forget all of a user's browsers.
/// </summary>
public sealed class RememberedBrowsers(RulesMfaDbContext database, TimeProvider clock)
{
    /// <summary>The name of the cookie that carries the token.</summary>
    public const string CookieName = "rulesmfa.rb";

    /// <summary>
    /// How long a remembered browser skips MFA at most when the tenant does not say (its <c>rememberBrowserDays</c>),
    /// counted from when it was remembered: 30 days; use does not extend it.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    /// <summary>A remembered browser not used for this long lapses: 7 days; each accepted use restarts it.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromDays(7);

    private const int TokenBytes = 32;

    /// <summary>Remembers a new browser of the user and returns the cookie value; it is never stored in clear.</summary>
    public async Task<string> RememberAsync(string userId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var token = RandomNumberGenerator.GetBytes(TokenBytes);
        var now = clock.GetUtcNow();
        database.RememberedBrowsers.Add(new RememberedBrowserRecord
        {
            UserId = userId,
            TokenHash = Hash(token),
            CreatedAt = now,
            LastUsedAt = now,
            ExpiresAt = now + lifetime,
        });
        await database.SaveChangesAsync(cancellationToken);
        return Base64Url.EncodeToString(token);
    }

    /// <summary>
    /// Whether the cookie value remembers this user's browser: known, of this user, not revoked, not expired, and used
    /// within <see cref="IdleTimeout"/>. An accepted use restarts the idle window; a malformed value is simply not remembered.
    /// <paramref name="lifetime"/> is the tenant's remember-browser days now: a browser remembered before the tenant lowered
    /// them lapses by the new days (a security team shortens them when it no longer trusts older browsers).
    /// </summary>
    public async Task<bool> IsRememberedAsync(string userId, string? cookieValue, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (!TryDecode(cookieValue, out var token))
        {
            return false;
        }

        // The lookup is by hash (the unique index), so the token itself is never compared.
        var hash = Hash(token);
        var record = await database.RememberedBrowsers.AsNoTracking().FirstOrDefaultAsync(browser => browser.TokenHash == hash, cancellationToken);
        var now = clock.GetUtcNow();
        if (record is null || record.UserId != userId || !IsActive(record, now) || now >= record.CreatedAt + lifetime)
        {
            return false;
        }

        // A concurrent revocation wins: nothing is updated and the browser is not remembered.
        return await database.RememberedBrowsers.Where(browser => browser.Id == record.Id && browser.RevokedAt == null)
            .ExecuteUpdateAsync(browser => browser.SetProperty(value => value.LastUsedAt, now), cancellationToken) == 1;
    }

    /// <summary>How many browsers of the user would skip MFA now.</summary>
    public async Task<int> CountRememberedAsync(string userId, CancellationToken cancellationToken) =>
        (await ActiveIdsAsync(userId, cancellationToken)).Count;

    /// <summary>Revokes every browser of the user that would still be remembered and returns how many.</summary>
    public async Task<int> ForgetAllAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var active = await ActiveIdsAsync(userId, cancellationToken);
        if (active.Count == 0)
        {
            return 0;
        }

        return await database.RememberedBrowsers.Where(browser => active.Contains(browser.Id) && browser.RevokedAt == null)
            .ExecuteUpdateAsync(browser => browser.SetProperty(value => value.RevokedAt, now), cancellationToken);
    }

    private async Task<List<long>> ActiveIdsAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();

        // SQLite cannot compare DateTimeOffset columns, so the user's few unrevoked records are checked here.
        var candidates = await database.RememberedBrowsers.AsNoTracking()
            .Where(browser => browser.UserId == userId && browser.RevokedAt == null).ToListAsync(cancellationToken);
        return candidates.Where(browser => IsActive(browser, now)).Select(browser => browser.Id).ToList();
    }

    private static bool IsActive(RememberedBrowserRecord record, DateTimeOffset now) =>
        record.RevokedAt is null && now < record.ExpiresAt && now - record.LastUsedAt < IdleTimeout;

    private static bool TryDecode(string? cookieValue, out byte[] token)
    {
        token = [];
        if (cookieValue is null || cookieValue.Length != Base64Url.GetEncodedLength(TokenBytes)
            || !Base64Url.IsValid(cookieValue, out var length) || length != TokenBytes)
        {
            return false;
        }

        token = Base64Url.DecodeFromChars(cookieValue);
        return true;
    }

    private static string Hash(byte[] token) => Convert.ToHexStringLower(SHA256.HashData(token));
}
