using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RulesMfa.Host.Factors.Duo;

/// <summary>
/// The JWTs of Duo's Universal Prompt: HS512 with the client secret as key (its UTF-8 bytes, zero-padded to 64 bytes, as
/// Duo's clients do), <c>iss</c> the client id, <c>aud</c> the endpoint's URL, a random <c>jti</c>, <c>exp</c> in 5 minutes.
/// </summary>
public static class DuoJwt
{
    /// <summary>How long a request or assertion JWT is valid: 5 minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static SymmetricSecurityKey KeyOf(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        if (bytes.Length < 64)
        {
            Array.Resize(ref bytes, 64);
        }

        return new SymmetricSecurityKey(bytes);
    }

    /// <summary>A signed JWT from <paramref name="clientId"/> to <paramref name="audience"/> with <paramref name="claims"/> added.</summary>
    public static string Sign(string clientId, string secret, string audience, DateTimeOffset now, IDictionary<string, object> claims)
    {
        var all = new Dictionary<string, object>(claims)
        {
            [JwtRegisteredClaimNames.Iss] = clientId,
            [JwtRegisteredClaimNames.Aud] = audience,
            [JwtRegisteredClaimNames.Jti] = NewJti(),
            [JwtRegisteredClaimNames.Exp] = (now + Lifetime).ToUnixTimeSeconds(),
        };
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = all,
            SigningCredentials = new SigningCredentials(KeyOf(secret), SecurityAlgorithms.HmacSha512),
        });
    }

    /// <summary>
    /// Checks <paramref name="token"/>: HS512 with <paramref name="secret"/>, from <paramref name="issuer"/>, for
    /// <paramref name="audience"/>, with an expiry not past (one minute of clock skew). The valid token, or null.
    /// </summary>
    public static async Task<JsonWebToken?> ValidateAsync(string token, string secret, string issuer, string audience)
    {
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKey = KeyOf(secret),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha512],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromMinutes(1),
        });
        return result.IsValid ? result.SecurityToken as JsonWebToken : null;
    }

    /// <summary>36 random characters, as Duo's clients make a <c>jti</c>.</summary>
    private static string NewJti() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(27));
}
