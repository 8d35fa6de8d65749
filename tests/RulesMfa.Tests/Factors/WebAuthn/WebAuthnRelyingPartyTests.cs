using Fido2NetLib;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Factors.WebAuthn;

namespace RulesMfa.Tests.Factors.WebAuthn;

/// <summary>
/// The relying party id that authenticators sign for is the host of <c>Server:PublicOrigin</c> when it is set, so a
/// request with a spoofed <c>Host</c> header cannot have credentials made or used for another site; without it, the
/// request's host.
/// </summary>
public sealed class WebAuthnRelyingPartyTests
{
    [Test]
    public void For_PublicOriginSet_IsItsHost_WhateverTheHostHeaderSays()
    {
        var http = Request(host: "attacker.example", publicOrigin: "https://login.example.com:8443");

        Assert.That(RelyingPartyId(http), Is.EqualTo("login.example.com"));
    }

    [Test]
    public void For_NoPublicOrigin_IsTheRequestsHost()
    {
        var http = Request(host: "mfa.example.org:5000", publicOrigin: null);

        Assert.That(RelyingPartyId(http), Is.EqualTo("mfa.example.org"));
    }

    private static string RelyingPartyId(HttpContext http) =>
        WebAuthnRelyingParty.For(http, "Acme").RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = [1, 2, 3], Name = "user@example.com", DisplayName = "User" },
        }).Rp.Id;

    private static DefaultHttpContext Request(string host, string? publicOrigin)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(publicOrigin is null ? [] : [new KeyValuePair<string, string?>("Server:PublicOrigin", publicOrigin)])
            .Build();
        var http = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddSingleton<IConfiguration>(configuration).BuildServiceProvider(),
        };
        http.Request.Scheme = "https";
        http.Request.Host = new HostString(host);
        return http;
    }
}
