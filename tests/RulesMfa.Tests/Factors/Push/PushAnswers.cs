using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RulesMfa.Host.Factors.Push;

namespace RulesMfa.Tests.Factors.Push;

/// <summary>Device answers for the tests: an approval for <c>http://server/t</c> unless told otherwise, every claim open to change.</summary>
internal static class PushAnswers
{
    public const string Audience = "http://server/t" + PushClaims.ResolvePath;

    public static string Sign(RSA key, string issuer, string challenge, string? digits, DateTime issuedAt, TimeSpan? lifetime = null,
        bool accepted = true, string method = "push", string audience = Audience, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var claims = new Dictionary<string, object> { ["sub"] = challenge, [PushClaims.Method] = method, [PushClaims.Accepted] = accepted };
        if (digits is not null)
        {
            claims[PushClaims.Digits] = digits;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer, Audience = audience, IssuedAt = issuedAt, Expires = issuedAt + (lifetime ?? PushClaims.MaxLifetime), Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key.ExportParameters(true)), algorithm),
        });
    }
}
