namespace RulesMfa.Host.Storage;

/// <summary>A user's authenticator app: the secret encrypted with Data Protection, and the last accepted time step.</summary>
public sealed class TotpEnrollmentRecord
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public required string ProtectedSecret { get; set; }

    /// <summary>The newest accepted time step; a code whose step is not newer is a replay. Updated atomically.</summary>
    public long? LastAcceptedStep { get; set; }

    /// <summary>False until the user proved the app works with one valid code.</summary>
    public bool Confirmed { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
