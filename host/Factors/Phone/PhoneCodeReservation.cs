namespace RulesMfa.Host.Factors.Phone;

/// <summary>What became of a request for a new phone code: a closed set.</summary>
public abstract record PhoneCodeReservation
{
    private PhoneCodeReservation()
    {
    }

    /// <summary>The code is stored (hashed) and is the user's only valid one until <paramref name="ExpiresAt"/>: send it now.</summary>
    public sealed record Reserved(string Code, DateTimeOffset ExpiresAt) : PhoneCodeReservation;

    /// <summary>
    /// Refused by the limit named <paramref name="Limit"/> (<see cref="PhoneCodes.MessagesLimit"/> or
    /// <see cref="PhoneCodes.CallsLimit"/>); nothing was stored or sent. Allowed again at <paramref name="RetryAt"/>.
    /// </summary>
    public sealed record Refused(string Limit, DateTimeOffset RetryAt) : PhoneCodeReservation;
}
