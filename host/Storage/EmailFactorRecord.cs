namespace RulesMfa.Host.Storage;

/// <summary>A user's email factor: the address MFA codes go to, confirmed by a code sent there.</summary>
public sealed class EmailFactorRecord
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public required string Address { get; set; }

    /// <summary>False until the user entered a code sent to <see cref="Address"/>.</summary>
    public bool Confirmed { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
