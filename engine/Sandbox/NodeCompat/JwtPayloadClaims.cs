using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>
/// jsonwebtoken 9's checks of <c>sign</c>'s payload, with its messages: its own <c>iat</c>, <c>exp</c> and <c>nbf</c>
/// are numbers (even one set to <c>undefined</c> is refused), and no claim it already has is also given as an option
/// (<c>exp</c> as <c>expiresIn</c>, <c>nbf</c> as <c>notBefore</c>, <c>aud</c>, <c>iss</c>, <c>sub</c>, <c>jti</c>
/// as <c>audience</c>, <c>issuer</c>, <c>subject</c>, <c>jwtid</c>): it refuses rather than choose.
/// </summary>
internal static class JwtPayloadClaims
{
    private static readonly string[] NumericClaims = ["iat", "exp", "nbf"];

    /// <summary>The registered claims' schema, checked in the payload's key order before the options' schema.</summary>
    public static void CheckNumeric(JintEngine engine, ObjectInstance payload)
    {
        foreach (var key in OwnKeys.Named(payload))
        {
            var name = key.AsString();
            if (NumericClaims.Contains(name) && payload.GetOwnProperty(key) is { Enumerable: true } && !payload.Get(key).IsNumber())
            {
                throw JwtErrors.Create(engine, "Error", $"\"{name}\" should be a number of seconds");
            }
        }
    }

    /// <summary><c>exp</c> against <c>expiresIn</c>, then <c>nbf</c> against <c>notBefore</c>; sign.js checks these before the options' schema.</summary>
    public static void CheckTimes(JintEngine engine, ObjectInstance payload, ObjectInstance? options)
    {
        foreach (var (option, claim) in new[] { ("expiresIn", "exp"), ("notBefore", "nbf") })
        {
            if (!payload.Get(claim).IsUndefined() && IsGiven(options, option))
            {
                throw JwtErrors.Create(engine, "Error", $"Bad \"options.{option}\" option the payload already has an \"{claim}\" property.");
            }
        }
    }

    /// <summary>One of <c>audience</c>, <c>issuer</c>, <c>subject</c> and <c>jwtid</c>, when it is about to become its claim.</summary>
    public static void CheckClaimOption(JintEngine engine, ObjectInstance payload, string option, string claim)
    {
        if (!payload.Get(claim).IsUndefined())
        {
            throw JwtErrors.Create(engine, "Error", $"Bad \"options.{option}\" option. The payload already has an \"{claim}\" property.");
        }
    }

    private static bool IsGiven(ObjectInstance? options, string option) => options is not null && !options.Get(option).IsUndefined();
}
