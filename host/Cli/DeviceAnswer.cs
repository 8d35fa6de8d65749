using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RulesMfa.Host.Factors.Push;

namespace RulesMfa.Host.Cli;

/// <summary>
/// The device's signed answer to a push request (<c>challenge_response</c>): RS256 with its key, <c>sub</c> the challenge,
/// <c>iss</c> its identifier, <c>aud</c> the resolve URL, <c>exp</c> 30 seconds after <c>iat</c>, and the Guardian claims.
/// </summary>
internal static class DeviceAnswer
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static string Sign(DeviceFile device, DeviceAccount account, string challenge, bool accepted, string? digits, string? reason)
    {
        using var key = device.Key();
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = challenge, [PushClaims.Method] = "push", [PushClaims.Accepted] = accepted,
        };
        if (digits is not null)
        {
            claims[PushClaims.Digits] = digits;
        }

        if (reason is not null)
        {
            claims[PushClaims.Reason] = reason;
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = device.Identifier, Audience = account.BaseUrl + PushClaims.ResolvePath, IssuedAt = now, Expires = now + PushClaims.MaxLifetime,
            Claims = claims, SigningCredentials = new SigningCredentials(new RsaSecurityKey(key.ExportParameters(true)), SecurityAlgorithms.RsaSha256),
        });
    }
}
