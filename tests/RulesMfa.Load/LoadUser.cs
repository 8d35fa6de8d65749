using OtpNet;

namespace RulesMfa.Load;

/// <summary>
/// A user of the load tenant and their authenticator. The server takes each TOTP time step of a user once, and a code
/// one step either side of now: so a user signs in with MFA about once per 30 s, and the pool holds enough of them.
/// </summary>
internal sealed class LoadUser(string email, byte[]? key = null)
{
    private const int StepSeconds = 30;

    public string Email { get; } = email;

    public byte[]? Key { get; set; } = key;

    public long LastStep { get; set; } = long.MinValue;

    /// <summary>The latest refresh token of the user's session (a refresh may roll it).</summary>
    public string? RefreshToken { get; set; }

    /// <summary>The host that issued <see cref="RefreshToken"/> (its issuer is that host's URL), where it is refreshed.</summary>
    public LoadTarget? TokenIssuer { get; set; }

    private static long NowStep => DateTimeOffset.UtcNow.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The newest step the server takes, so that a slow request still lands inside the window.</summary>
    private long NextStep => Math.Max(LastStep + 1, NowStep);

    /// <summary>Whether the server takes a new code of this user now (a step after the last one used, within one of now).</summary>
    public bool CanVerifyNow => Key is not null && NextStep <= NowStep + 1;

    /// <summary>The code of the next step the server takes, marked as used.</summary>
    public string TakeCode()
    {
        var step = NextStep;
        LastStep = step;
        return new Totp(Key!).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * StepSeconds).UtcDateTime);
    }
}
