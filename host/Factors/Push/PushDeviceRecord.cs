namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// A device enrolled for push: its public key (which signs its answers), the identifier it gave (the answers' <c>iss</c>),
/// the hash of its bearer token, its own TOTP secret (encrypted) for offline codes, and where it was told the server is.
/// It counts as a factor only once the enrollment page that issued its ticket confirmed it (<see cref="Confirmed"/>).
/// </summary>
public sealed class PushDeviceRecord
{
    public long Id { get; set; }

    /// <summary>The enrollment's public id (<c>dev_…</c>): the enrollment URI's <c>id</c> and the device API's path.</summary>
    public required string EnrollmentId { get; set; }

    public required string UserId { get; set; }

    /// <summary>The device's own identifier, sent at enrollment: the <c>iss</c> of every answer it signs.</summary>
    public required string Identifier { get; set; }

    /// <summary>The name the device gave itself ("Ana's phone").</summary>
    public required string Name { get; set; }

    /// <summary>The device's RSA public key as the JWK it sent (<c>kty</c>, <c>use</c>, <c>alg</c>, <c>n</c>, <c>e</c>).</summary>
    public required string PublicKeyJson { get; set; }

    /// <summary>The push service credentials the device sent (<c>{service, token}</c>), kept for a relay; none is used here.</summary>
    public string? PushCredentialsJson { get; set; }

    /// <summary>SHA-256 of the device's bearer token (the enrollment answer's <c>token</c>), hex.</summary>
    public required string TokenHash { get; set; }

    /// <summary>The TOTP secret given to the device, protected with Data Protection.</summary>
    public required string ProtectedTotpSecret { get; set; }

    /// <summary>The time step of the last offline code accepted: a code is accepted only for a newer step.</summary>
    public long? LastAcceptedStep { get; set; }

    /// <summary>The <c>base_url</c> the device was given: its answers' <c>aud</c> is this plus <c>/api/resolve-transaction</c>.</summary>
    public required string BaseUrl { get; set; }

    /// <summary>Set when the enrollment page confirmed the enrollment; until then the device is not a factor.</summary>
    public bool Confirmed { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
