using System.Net;
using RulesMfa.Host.Factors.Phone;

namespace RulesMfa.Tests.Factors.Phone;

/// <summary>The addresses a tenant's webhook may reach: public ones only, by default.</summary>
public sealed class WebhookAddressGuardTests
{
    [TestCase("127.0.0.1")]
    [TestCase("10.1.2.3")]
    [TestCase("172.16.0.1")]
    [TestCase("192.168.1.1")]
    [TestCase("169.254.169.254")]
    [TestCase("100.64.0.1")]
    [TestCase("0.0.0.0")]
    [TestCase("::1")]
    [TestCase("fd00::1")]
    [TestCase("fe80::1")]
    [TestCase("::ffff:10.0.0.1")]
    [TestCase("64:ff9b::7f00:1")]
    [TestCase("64:ff9b::a9fe:a9fe")]
    [TestCase("64:ff9b:1::808:808")]
    [TestCase("2002:a00:1::1")]
    [TestCase("2002:7f00:1::")]
    [TestCase("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    public void IsPublic_InternalAddress_IsFalse(string address) => Assert.That(WebhookAddressGuard.IsPublic(IPAddress.Parse(address)), Is.False);

    [TestCase("8.8.8.8")]
    [TestCase("172.32.0.1")]
    [TestCase("2606:4700::1111")]
    [TestCase("64:ff9b::808:808")]
    [TestCase("2002:808:808::1")]
    public void IsPublic_PublicAddress_IsTrue(string address) => Assert.That(WebhookAddressGuard.IsPublic(IPAddress.Parse(address)), Is.True);
}
