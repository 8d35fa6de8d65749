using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Oidc;

/// <summary>
/// The token server's signing key (RSA 2048) and encryption key (AES-256), created at first start and kept
/// in the database encrypted with Data Protection, so restarts and several hosts share them. Purpose is unique in the
/// database: of hosts that start at once and each create a key, one insert wins and every host uses its key.
/// </summary>
public static class ServerKeys
{
    private const string Signing = "signing";
    private const string Encryption = "encryption";

    public static async Task<(SecurityKey Signing, SecurityKey Encryption)> LoadOrCreateAsync(RulesMfaDbContext database, IDataProtectionProvider protection)
    {
        var protector = protection.CreateProtector("RulesMfa.ServerKeys");
        var signing = await LoadOrAddAsync(database, protector, Signing, NewRsaPem);
        var encryption = await LoadOrAddAsync(database, protector, Encryption, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        var rsa = RSA.Create();
        rsa.ImportFromPem(protector.Unprotect(signing.ProtectedKey));
        var signingKey = new RsaSecurityKey(rsa) { KeyId = Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..16] };
        var encryptionKey = new SymmetricSecurityKey(Convert.FromBase64String(protector.Unprotect(encryption.ProtectedKey)));
        return (signingKey, encryptionKey);
    }

    private static string NewRsaPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    private static async Task<SigningKeyRecord> LoadOrAddAsync(RulesMfaDbContext database, IDataProtector protector, string purpose, Func<string> newKey)
    {
        if (await StoredAsync(database, purpose) is { } stored)
        {
            return stored;
        }

        var record = new SigningKeyRecord { Purpose = purpose, ProtectedKey = protector.Protect(newKey()), CreatedAt = DateTimeOffset.UtcNow };
        database.SigningKeys.Add(record);
        try
        {
            await database.SaveChangesAsync();
            return record;
        }
        catch (DbUpdateException refused)
        {
            // Another host stored its key first (the unique index on Purpose refused ours): every host uses that one.
            database.Entry(record).State = EntityState.Detached;
            return await StoredAsync(database, purpose) ?? throw new InvalidOperationException($"The server's {purpose} key could not be stored.", refused);
        }
    }

    private static Task<SigningKeyRecord?> StoredAsync(RulesMfaDbContext database, string purpose) =>
        database.SigningKeys.AsNoTracking().Where(key => key.Purpose == purpose).OrderBy(key => key.Id).FirstOrDefaultAsync();
}
