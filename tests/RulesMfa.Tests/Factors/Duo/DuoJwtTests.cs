using RulesMfa.Host.Factors.Duo;
using RulesMfa.Tests.DuoStandIn;

namespace RulesMfa.Tests.Factors.Duo;

/// <summary>
/// The checks of Duo's <c>id_token</c> (HS512 with the client secret, issuer the token endpoint, audience the client id,
/// expiry), against tokens the stand-in signs as Duo does: each wrong part alone makes the token invalid.
/// </summary>
public sealed class DuoJwtTests
{
    private const string ClientId = "DIABCDEFGHIJKLMNOPQR";
    private const string Secret = "0123456789abcdefghij0123456789abcdefghij";
    private const string TokenUrl = "https://api-test.duosecurity.com/oauth/v1/token";

    [Test]
    public async Task Validate_TokenAsDuoSignsIt_IsValid()
    {
        var token = DuoStandInServer.Sign(TokenUrl, Secret, ClientId, DateTimeOffset.UtcNow.AddMinutes(5), new Dictionary<string, object> { ["preferred_username"] = "ann" });

        var valid = await DuoJwt.ValidateAsync(token, Secret, TokenUrl, ClientId);

        Assert.That(valid?.GetPayloadValue<string>("preferred_username"), Is.EqualTo("ann"));
    }

    [TestCase("zzzz456789abcdefghij0123456789abcdefghij", TokenUrl, ClientId, 5, TestName = "Validate_SignedWithAnotherSecret_IsInvalid")]
    [TestCase(Secret, "https://api-other.duosecurity.com/oauth/v1/token", ClientId, 5, TestName = "Validate_FromAnotherIssuer_IsInvalid")]
    [TestCase(Secret, TokenUrl, "DIZZZZZZZZZZZZZZZZZZ", 5, TestName = "Validate_ForAnotherClient_IsInvalid")]
    [TestCase(Secret, TokenUrl, ClientId, -2, TestName = "Validate_ExpiredBeyondTheSkew_IsInvalid")]
    public async Task Validate_OneWrongPart_IsInvalid(string signingSecret, string issuer, string audience, int expiresInMinutes)
    {
        var token = DuoStandInServer.Sign(issuer, signingSecret, audience, DateTimeOffset.UtcNow.AddMinutes(expiresInMinutes));

        var valid = await DuoJwt.ValidateAsync(token, Secret, TokenUrl, ClientId);

        Assert.That(valid, Is.Null);
    }

    [Test]
    public async Task Validate_UnsignedToken_IsInvalid()
    {
        var signed = DuoStandInServer.Sign(TokenUrl, Secret, ClientId, DateTimeOffset.UtcNow.AddMinutes(5));
        var parts = signed.Split('.');
        var unsigned = $"{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{parts[1]}.";

        var valid = await DuoJwt.ValidateAsync(unsigned, Secret, TokenUrl, ClientId);

        Assert.That(valid, Is.Null);
    }
}
