using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace RulesMfa.Host.Storage;

/// <summary>
/// The ASP.NET Core Data Protection key ring (the keys that encrypt TOTP secrets, the rules' configuration, the token
/// signing keys and the cookies) lives in the database, shared by every host. With <c>DataProtection:CertificatePath</c>
/// (a PKCS#12 file with its private key; its password in <c>DataProtection:CertificatePassword</c>) each key is stored
/// encrypted with that certificate; without it, in clear, and the server says so in one warning at start.
/// </summary>
internal static class KeyRingProtection
{
    public const string CertificatePathSetting = "DataProtection:CertificatePath";
    public const string CertificatePasswordSetting = "DataProtection:CertificatePassword";

    /// <exception cref="InvalidSettingException">The certificate cannot be loaded, or has no private key.</exception>
    public static void AddKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        var keyRing = services.AddDataProtection().SetApplicationName("RulesMfa").PersistKeysToDbContext<RulesMfaDbContext>();
        if (configuration[CertificatePathSetting] is { Length: > 0 } path)
        {
            keyRing.ProtectKeysWithCertificate(Load(path, configuration[CertificatePasswordSetting]));
        }
    }

    public static void WarnWhenUnencrypted(IConfiguration configuration, ILogger logger)
    {
        if (string.IsNullOrEmpty(configuration[CertificatePathSetting]))
        {
            logger.LogWarning("The Data Protection key ring is stored in the database unencrypted: set {Setting} to a PKCS#12 certificate to encrypt it",
                CertificatePathSetting);
        }
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidSettingException(CertificatePathSetting, $"cannot load '{path}' as a PKCS#12 certificate: {unreadable.Message}");
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidSettingException(CertificatePathSetting, $"'{path}' holds no private key, which reading the key ring needs");
        }

        return certificate;
    }
}
