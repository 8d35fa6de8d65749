using RulesMfa.Engine.Factors;

namespace RulesMfa.Host.Factors.Push;

/// <summary>What became of a device's enrollment: a closed set.</summary>
public abstract record PushEnrollment
{
    private PushEnrollment()
    {
    }

    /// <summary>Enrolled (not yet confirmed by the page): the device, its bearer token and its TOTP secret, told once.</summary>
    public sealed record Enrolled(PushDeviceRecord Device, string Token, TotpSecret Secret) : PushEnrollment;

    /// <summary>The ticket cannot be used; <paramref name="Description"/> says why.</summary>
    public sealed record Refused(string Description) : PushEnrollment;
}
