using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.MfaApi;

/// <summary>
/// A self-signed certificate for <c>127.0.0.1</c> and <c>localhost</c>, written as PEM files: the server serves TLS with it
/// (<c>Kestrel:Certificates:Default</c>) and a Node.js process trusts it through <c>NODE_EXTRA_CA_CERTS</c>.
/// </summary>
internal sealed class TestCertificate : IDisposable
{
    private readonly TempFolder folder = new();

    public TestCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CertificatePath = Path.Combine(folder.Path, "server.pem");
        KeyPath = Path.Combine(folder.Path, "server.key");
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>The server's arguments: HTTPS on a free loopback port with this certificate.</summary>
    public string[] ServerArguments =>
        ["--urls", "https://127.0.0.1:0", "--Kestrel:Certificates:Default:Path", CertificatePath, "--Kestrel:Certificates:Default:KeyPath", KeyPath];

    public void Dispose() => folder.Dispose();
}
