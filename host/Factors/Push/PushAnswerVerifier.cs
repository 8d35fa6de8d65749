using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// Verifies a device's <c>challenge_response</c> with Microsoft.IdentityModel: RS256 signed by the device's enrolled key,
/// <c>iss</c> its identifier, <c>aud</c> the resolve URL it was given, unexpired by the server's clock (<see cref="ClockSkew"/> allowed), <c>exp</c> at most 30 s after <c>iat</c>,
/// <c>sub</c> this request's challenge, <c>auth0_guardian_method</c> <c>push</c>, and to approve, the digits the sign-in
/// page shows. Single use is not decided here: the request's state moves once, in the database.
/// </summary>
public sealed class PushAnswerVerifier(TimeProvider clock)
{
    /// <summary>How far a device's clock may be from the server's: 10 seconds.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(10);

    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<PushAnswer> VerifyAsync(string? answer, PushDeviceRecord device, PushTransactionRecord transaction)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return new PushAnswer.Refused("invalid_request", "challenge_response is missing: send the signed answer (a JWT).");
        }

        var result = await Handler.ValidateTokenAsync(answer, new TokenValidationParameters
        {
            ValidIssuer = device.Identifier,
            ValidAudience = device.BaseUrl + PushClaims.ResolvePath,
            IssuerSigningKey = PushDeviceKey.ToSecurityKey(device.PublicKeyJson),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,

            // The lifetime is checked below against the server's clock (TimeProvider), which the library does not take.
            ValidateLifetime = false,
        });
        if (!result.IsValid)
        {
            return Refusal(result.Exception);
        }

        var token = (JsonWebToken)result.SecurityToken;
        if (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out _) || !token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out _)
            || token.ValidTo <= token.IssuedAt || token.ValidTo - token.IssuedAt > PushClaims.MaxLifetime)
        {
            return new PushAnswer.Refused("invalid_lifetime", "The answer must have iat and exp, exp after iat by at most 30 seconds.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (now >= token.ValidTo + ClockSkew)
        {
            return new PushAnswer.Refused("expired_answer", "The answer has expired (exp).");
        }

        if (token.IssuedAt > now + ClockSkew)
        {
            return new PushAnswer.Refused("invalid_lifetime", "The answer was issued in the future (iat).");
        }

        if (!FixedTimeEquals(token.Subject, transaction.Challenge))
        {
            return new PushAnswer.Refused("wrong_transaction", "The answer's sub is not the challenge of this transaction.");
        }

        if (!token.TryGetPayloadValue<string>(PushClaims.Method, out var method) || method != "push"
            || !token.TryGetPayloadValue<bool>(PushClaims.Accepted, out var accepted))
        {
            return new PushAnswer.Refused("invalid_answer", $"The answer needs {PushClaims.Method} \"push\" and {PushClaims.Accepted} true or false.");
        }

        if (!accepted)
        {
            return new PushAnswer.Declined(token.TryGetPayloadValue<string>(PushClaims.Reason, out var reason) ? reason : null);
        }

        return token.TryGetPayloadValue<string>(PushClaims.Digits, out var digits) && FixedTimeEquals(digits, transaction.Digits)
            ? new PushAnswer.Approved()
            : new PushAnswer.Refused("wrong_digits", "The digits do not match the ones the sign-in page shows; this request is over.");
    }

    private static PushAnswer.Refused Refusal(Exception? error) => error switch
    {
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => new("invalid_signature", "The answer is not signed by this device's key."),
        SecurityTokenInvalidAlgorithmException => new("invalid_signature", "The answer must be signed with RS256."),
        SecurityTokenInvalidIssuerException => new("invalid_issuer", "The answer's iss is not this device's identifier."),
        SecurityTokenInvalidAudienceException => new("invalid_audience", "The answer's aud is not this server's resolve URL for this device."),
        _ => new("invalid_answer", "The answer is not a signed JWT this server can read."),
    };

    private static bool FixedTimeEquals(string? left, string right) =>
        left is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));
}
