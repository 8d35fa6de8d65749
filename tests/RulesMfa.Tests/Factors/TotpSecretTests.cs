using OtpNet;
using RulesMfa.Engine.Factors;

namespace RulesMfa.Tests.Factors;

public sealed class TotpSecretTests
{
    [Test]
    public void Generate_Always_GivesTwentyBytesAndTheirBase32()
    {
        var secret = TotpSecret.Generate();

        var bytes = secret.GetBytes();

        Assert.Multiple(() =>
        {
            Assert.That(bytes, Has.Length.EqualTo(20));
            Assert.That(secret.Base32, Has.Length.EqualTo(32).And.Match("^[A-Z2-7]+$"));
            Assert.That(Base32Encoding.ToBytes(secret.Base32), Is.EqualTo(bytes));
        });
    }

    [Test]
    public void Generate_CalledTwice_GivesDifferentKeys()
    {
        var first = TotpSecret.Generate();

        var second = TotpSecret.Generate();

        Assert.That(second.GetBytes(), Is.Not.EqualTo(first.GetBytes()));
    }

    [Test]
    public void GetBytes_ModifiedByTheCaller_LeavesTheKeyUnchanged()
    {
        var secret = TotpSecret.FromBytes([1, 2, 3, 4]);

        secret.GetBytes()[0] = 9;

        Assert.That(secret.GetBytes(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void FromBytes_StoredKey_RoundTrips()
    {
        var original = TotpSecret.Generate();

        var restored = TotpSecret.FromBytes(original.GetBytes());

        Assert.That(restored.Base32, Is.EqualTo(original.Base32));
    }

    [Test]
    public void FromBytes_EmptyKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => TotpSecret.FromBytes([]));
    }

    [Test]
    public void ToString_Always_DoesNotContainTheKey()
    {
        var secret = TotpSecret.Generate();

        var text = secret.ToString();

        Assert.That(text, Does.Not.Contain(secret.Base32));
    }

    [Test]
    public void FromBytes_Empty_ThrowsSayingSo()
    {
        Assert.That(() => TotpSecret.FromBytes([]), Throws.ArgumentException.With.Message.StartsWith("A TOTP key cannot be empty."));
    }
}
