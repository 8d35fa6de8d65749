using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// The <c>mfa_token</c>s: 256 random bits handed to the client, only their hash stored, each bound to its tenant, client
/// and user, valid <see cref="Lifetime"/> (10 minutes, as Auth0, not configurable) and useless once its login completed.
/// The login's state is saved only if no other request changed it since it was read, and completing is a single
/// <c>UPDATE ... WHERE CompletedAt IS NULL</c>, so of two grants racing with one token at most one gets tokens.
/// </summary>
public sealed class MfaTokens(RulesMfaDbContext database, TimeProvider clock)
{
    /// <summary>How long an <c>mfa_token</c> lives: 10 minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const int TokenBytes = 32;

    // An access token of the MFA API's audience also opens an enrollment (see IssueForAccessTokenAsync): a JWT, longer.
    private const int MaxTokenLength = 8_192;

    private DbSet<MfaTokenRecord> Tokens => database.Set<MfaTokenRecord>();

    /// <summary>A new token for <paramref name="login"/>; returns the token, which is never stored in clear.</summary>
    public async Task<string> IssueAsync(string tenantId, string clientId, MfaApiLogin login, CancellationToken cancellationToken)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        var now = clock.GetUtcNow();
        var record = new MfaTokenRecord
        {
            TokenHash = Hash(token), TenantId = tenantId, ClientId = clientId, UserId = login.Transaction.UserId, LoginJson = login.ToJson(),
            CreatedAt = now, ExpiresAt = now + Lifetime,
        };
        Tokens.Add(record);
        await database.SaveChangesAsync(cancellationToken);
        database.Entry(record).State = EntityState.Detached;
        return token;
    }

    /// <summary>
    /// Keeps the enrollment an access token of the MFA API's audience started (<c>associate</c> with scope <c>enroll</c>) under
    /// that token until <paramref name="expiresAt"/>, replacing an earlier one: its confirmation names the access token as
    /// the <c>mfa_token</c>.
    /// </summary>
    public async Task IssueForAccessTokenAsync(string accessToken, DateTimeOffset expiresAt, string tenantId, string clientId, MfaApiLogin login, CancellationToken cancellationToken)
    {
        var hash = Hash(accessToken);
        await Tokens.Where(stored => stored.TokenHash == hash).ExecuteDeleteAsync(cancellationToken);
        var record = new MfaTokenRecord
        {
            TokenHash = hash, TenantId = tenantId, ClientId = clientId, UserId = login.Transaction.UserId, LoginJson = login.ToJson(),
            CreatedAt = clock.GetUtcNow(), ExpiresAt = expiresAt,
        };
        Tokens.Add(record);
        await database.SaveChangesAsync(cancellationToken);
        database.Entry(record).State = EntityState.Detached;
    }

    /// <summary>What <paramref name="token"/> is in <paramref name="tenantId"/>.</summary>
    public async Task<MfaTokenLookup> FindAsync(string? token, string tenantId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return new MfaTokenLookup.Malformed();
        }

        // Looked up by hash (the unique index), so the token itself is never compared.
        var hash = Hash(token);
        var record = await Tokens.AsNoTracking().SingleOrDefaultAsync(stored => stored.TokenHash == hash, cancellationToken);
        if (record is null || record.TenantId != tenantId)
        {
            return new MfaTokenLookup.Malformed();
        }

        return record.CompletedAt is not null || clock.GetUtcNow() >= record.ExpiresAt
            ? new MfaTokenLookup.Expired()
            : new MfaTokenLookup.Live(record, MfaApiLogin.FromJson(record.LoginJson));
    }

    /// <summary>Saves <paramref name="login"/> as the token's state; false when another request changed it first.</summary>
    public async Task<bool> SaveAsync(MfaTokenRecord record, MfaApiLogin login, CancellationToken cancellationToken)
    {
        var json = login.ToJson();
        var saved = await Tokens.Where(stored => stored.Id == record.Id && stored.Version == record.Version && stored.CompletedAt == null)
            .ExecuteUpdateAsync(stored => stored.SetProperty(value => value.LoginJson, json).SetProperty(value => value.Version, record.Version + 1), cancellationToken);
        if (saved == 1)
        {
            record.Version++;
            record.LoginJson = json;
        }

        return saved == 1;
    }

    /// <summary>Marks the token's login complete; false when another request completed it first.</summary>
    public async Task<bool> CompleteAsync(MfaTokenRecord record, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await Tokens.Where(stored => stored.Id == record.Id && stored.CompletedAt == null)
            .ExecuteUpdateAsync(stored => stored.SetProperty(value => value.CompletedAt, now), cancellationToken) == 1;
    }

    /// <summary>The hash an <c>oob_code</c> or a token is kept as.</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>A new <c>oob_code</c>: 256 random bits.</summary>
    public static string NewOobCode() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
}
