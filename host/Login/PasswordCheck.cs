using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Login;

/// <summary>What the password page makes of an email and password (<see cref="PasswordLogin.CheckAsync"/>).</summary>
public abstract record PasswordCheck
{
    private PasswordCheck()
    {
    }

    /// <summary>The right password of this user, from the browser known as <paramref name="KnownDevice"/> (<see cref="KnownDevices"/>) or none.</summary>
    public sealed record Passed(UserRecord User, string? KnownDevice) : PasswordCheck;

    /// <summary>A wrong password or an unknown email (the two look alike); the attempt stays counted.</summary>
    public sealed record Failed : PasswordCheck;

    /// <summary>The account or the address is blocked for this long; the password was not verified.</summary>
    public sealed record Blocked(TimeSpan For) : PasswordCheck;
}
