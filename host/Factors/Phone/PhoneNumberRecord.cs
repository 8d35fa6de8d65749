namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// A user's phone number: pending until a code sent to it comes back, then the user's one confirmed number (a newly
/// confirmed number replaces it).
/// </summary>
public sealed class PhoneNumberRecord
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>The number in E.164 (<c>+15551234567</c>).</summary>
    public required string Number { get; set; }

    public bool Confirmed { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
