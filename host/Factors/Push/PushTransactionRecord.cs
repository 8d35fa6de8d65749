namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// One push request: a sign-in waiting for the device to approve it, with what the device shows (application, IP,
/// coarse location, time) and the two digits the sign-in page shows for the user to match. Its state moves once,
/// atomically, from <see cref="PushTransactionState.Pending"/>.
/// </summary>
public sealed class PushTransactionRecord
{
    public long Id { get; set; }

    /// <summary>The public id the device lists it under (<c>tx_…</c>).</summary>
    public required string PublicId { get; set; }

    public required string UserId { get; set; }

    public long DeviceId { get; set; }

    /// <summary>The challenge: the <c>sub</c> the device's answer must carry.</summary>
    public required string Challenge { get; set; }

    /// <summary>The two digits the sign-in page shows and the device's answer must repeat.</summary>
    public required string Digits { get; set; }

    /// <summary>The application being signed in to.</summary>
    public required string Application { get; set; }

    public string? Ip { get; set; }

    /// <summary>A coarse location of the IP ("Lisbon, Portugal"), or "Unknown location".</summary>
    public required string Location { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>One of <see cref="PushTransactionState"/>.</summary>
    public required string State { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }
}
