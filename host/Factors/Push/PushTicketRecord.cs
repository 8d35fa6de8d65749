namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// An enrollment ticket (the URI's <c>enrollment_tx_id</c>) the enrollment page issued: single use, it expires after
/// <see cref="PushTickets.Lifetime"/>. Only its hash is stored; the TOTP secret it hands out is protected.
/// </summary>
public sealed class PushTicketRecord
{
    public long Id { get; set; }

    /// <summary>SHA-256 of the ticket, hex.</summary>
    public required string TicketHash { get; set; }

    public required string UserId { get; set; }

    /// <summary>The id the enrolled device will have (the URI's <c>id</c>).</summary>
    public required string EnrollmentId { get; set; }

    public required string ProtectedTotpSecret { get; set; }

    /// <summary>The URI's <c>base_url</c>.</summary>
    public required string BaseUrl { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When a device enrolled with it; a used ticket is refused.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}
