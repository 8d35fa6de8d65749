namespace RulesMfa.Engine.Factors;

/// <summary>The result of checking a TOTP code: a closed set, never an exception.</summary>
public abstract record TotpVerification
{
    private TotpVerification()
    {
    }

    /// <summary>
    /// The code is valid for <paramref name="Step"/> (the absolute 30-second step number since the Unix epoch), which is
    /// newer than the last accepted one. The host must store it atomically before it lets the login go on.
    /// </summary>
    public sealed record Succeeded(long Step) : TotpVerification;

    /// <summary>The code is malformed or not valid for any step in the window.</summary>
    public sealed record Invalid : TotpVerification;

    /// <summary>The code is valid, but for a step not newer than the last accepted one: it was (or could have been) used already.</summary>
    public sealed record Replayed : TotpVerification;
}
