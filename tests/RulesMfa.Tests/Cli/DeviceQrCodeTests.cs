using RulesMfa.Host.Cli;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Factors.Push;

namespace RulesMfa.Tests.Cli;

/// <summary><c>rulesmfa device enroll --qr</c> reads every push enrollment image the server draws, whatever its URI holds.</summary>
public sealed class DeviceQrCodeTests
{
    [Test]
    public void Read_TheServersPushEnrollmentImages_GivesBackEachUri()
    {
        // Seeded, so that a failure names images that fail on every run; the server's URIs hold random secrets and tickets.
        var random = new Random(20261206);
        var folder = Directory.CreateTempSubdirectory("rulesmfa-qr-");
        try
        {
            var unread = new List<string>();
            for (var image = 0; image < 300; image++)
            {
                var uri = new GuardianEnrollmentUri("Acme Corp", $"user{image}@acme.example", Base32(random, 20), Token(random, 32), Token(random, 24),
                    "https://login.acme.example/acme").ToString();
                var path = Path.Combine(folder.FullName, $"qr{image}.png");
                File.WriteAllBytes(path, EnrollmentQrCode.Png(uri, PushFactor.PushQrPixelsPerModule));
                string? read;
                try
                {
                    read = DeviceQrCode.Read(path);
                }
                catch (CliInputException)
                {
                    read = null;
                }

                if (read != uri)
                {
                    unread.Add(uri);
                }
            }

            Assert.That(unread, Is.Empty, "images not read back");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Base32(Random random, int bytes) => OtpNet.Base32Encoding.ToString(random.GetItems<byte>([.. Enumerable.Range(0, 256).Select(value => (byte)value)], bytes));

    private static string Token(Random random, int length) => new(random.GetItems("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".ToCharArray(), length));
}
