using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Storage;

/// <summary>The Data Protection key ring in the database: encrypted with the configured certificate, or a start-up warning.</summary>
[NonParallelizable]
public sealed class KeyRingProtectionTests
{
    private const string Setting = "DataProtection:CertificatePath";
    private const string CertificatePassword = "pfx password for the test";

    [Test]
    public async Task KeyRing_WithACertificate_IsStoredEncryptedAndReadAfterARestart()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        string[] settings = ["--Server:DataFolder", data, "--" + Setting, SelfSignedCertificate(temp), "--DataProtection:CertificatePassword", CertificatePassword];

        string protectedText;
        List<string> keys;
        await using (var first = await RulesMfaServer.StartAsync(settings))
        {
            protectedText = await first.WithServicesAsync(services =>
                Task.FromResult(services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("kept across restarts")));
            keys = await first.WithServicesAsync(services => services.GetRequiredService<RulesMfaDbContext>().DataProtectionKeys.Select(key => key.Xml!).ToListAsync());
        }

        await using var second = await RulesMfaServer.StartAsync(settings);
        var unprotected = await second.WithServicesAsync(services =>
            Task.FromResult(services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText)));

        Assert.Multiple(() =>
        {
            Assert.That(keys, Is.Not.Empty);
            Assert.That(keys, Has.All.Contain("<encryptedSecret").And.All.Not.Contain("<masterKey"), "no key material in clear");
            Assert.That(unprotected, Is.EqualTo("kept across restarts"), "a new process reads the encrypted keys with the certificate");
        });
    }

    [Test]
    public async Task Start_WithoutACertificate_WarnsInOneLine()
    {
        using var temp = new TempFolder();
        var log = Path.Combine(temp.Path, "rulesmfa.log.json");

        await (await RulesMfaServer.StartAsync("--Server:LogFile", log)).DisposeAsync();

        var warnings = (await File.ReadAllLinesAsync(log)).Where(line => line.Contains(Setting, StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(warnings, Has.Count.EqualTo(1));
            Assert.That(JsonDocument.Parse(warnings[0]).RootElement.GetProperty("@l").GetString(), Is.EqualTo("Warning"));
            Assert.That(warnings[0], Does.Contain("key ring is stored in the database unencrypted"));
        });
    }

    [Test]
    public async Task Start_WithACertificate_DoesNotWarn()
    {
        using var temp = new TempFolder();
        var log = Path.Combine(temp.Path, "rulesmfa.log.json");

        await (await RulesMfaServer.StartAsync("--Server:LogFile", log, "--" + Setting, SelfSignedCertificate(temp),
            "--DataProtection:CertificatePassword", CertificatePassword)).DisposeAsync();

        Assert.That(await File.ReadAllTextAsync(log), Does.Not.Contain("unencrypted"));
    }

    [Test]
    public void Build_CertificateWithTheWrongPassword_NamesTheSettingAndTheFile()
    {
        using var temp = new TempFolder();
        var certificate = SelfSignedCertificate(temp);

        var invalid = Assert.Throws<InvalidSettingException>(() =>
            ServerApp.Build(["--Server:DataFolder", Path.Combine(temp.Path, "data"), "--" + Setting, certificate, "--DataProtection:CertificatePassword", "wrong"]));

        Assert.That(invalid!.Message, Does.StartWith($"{Setting}: cannot load '{certificate}' as a PKCS#12 certificate"));
    }

    private static string SelfSignedCertificate(TempFolder folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=RulesMfa key ring test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder.Path, "key-ring.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        return path;
    }
}
