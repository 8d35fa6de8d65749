namespace RulesMfa.Host.Factors.Duo;

/// <summary>
/// The <c>state</c> of one trip to Duo's prompt: bound to the user and the authorization request it was issued for,
/// single use, and short-lived (<see cref="DuoStates.Lifetime"/>). Only its hash is stored.
/// </summary>
public sealed class DuoStateRecord
{
    public long Id { get; set; }

    /// <summary>SHA-256 of the state, hex.</summary>
    public required string StateHash { get; set; }

    public required string UserId { get; set; }

    /// <summary>The MFA transaction's authorization request hash: a state works only in the transaction that started it.</summary>
    public required string RequestHash { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When the callback took it; a used state is refused.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}
