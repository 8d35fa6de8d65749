using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Oidc;

/// <summary>
/// The token server's signing key (RSA 2048) and encryption key (AES-256), created at first start and kept
/// in the database encrypted with Data Protection, so restarts and several hosts share them.
/// </summary>
public static class ServerKeys
{
    private const string Signing = "signing";
    private const string Encryption = "encryption";

    public static async Task<(SecurityKey Signing, SecurityKey Encryption)> LoadOrCreateAsync(RulesMfaDbContext database, IDataProtectionProvider protection)
    {
        var protector = protection.CreateProtector("RulesMfa.ServerKeys");
        var stored = await database.SigningKeys.ToListAsync();
        var signing = stored.FirstOrDefault(key => key.Purpose == Signing) ?? Add(database, protector, Signing, NewRsaPem());
        var encryption = stored.FirstOrDefault(key => key.Purpose == Encryption) ?? Add(database, protector, Encryption, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        await database.SaveChangesAsync();

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

    private static SigningKeyRecord Add(RulesMfaDbContext database, IDataProtector protector, string purpose, string key)
    {
        var record = new SigningKeyRecord { Purpose = purpose, ProtectedKey = protector.Protect(key), CreatedAt = DateTimeOffset.UtcNow };
        database.SigningKeys.Add(record);
        return record;
    }
}
