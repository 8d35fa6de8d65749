using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RulesMfa.Tests.DuoStandIn;

/// <summary>
/// A private certificate authority made for one test run, and a server certificate it issued for 127.0.0.1 and localhost:
/// what a client trusts as a custom root (<see cref="ChainPolicy"/>), with every other check of the certificate kept.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 root, X509Certificate2 server) => (Root, Server) = (root, server);

    /// <summary>The authority's certificate (no private key): the only root a client of the stand-in trusts.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The stand-in's certificate, with its private key.</summary>
    public X509Certificate2 Server { get; }

    public static TestCertificates Create()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=RulesMfa test root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var root = rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(2));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var issued = serverRequest.Create(root, now.AddMinutes(-5), now.AddHours(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(serverKey);
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new TestCertificates(X509CertificateLoader.LoadCertificate(root.Export(X509ContentType.Cert)), server);
    }

    /// <summary>
    /// Trust <see cref="Root"/> alone as the root, as an operator adds a private CA: the chain, the dates and the host name
    /// are still checked. The test authority publishes no revocation list, so revocation is not asked for.
    /// </summary>
    public X509ChainPolicy ChainPolicy() => new()
    {
        TrustMode = X509ChainTrustMode.CustomRootTrust,
        CustomTrustStore = { Root },
        RevocationMode = X509RevocationMode.NoCheck,
    };

    public void Dispose()
    {
        Root.Dispose();
        Server.Dispose();
    }
}
