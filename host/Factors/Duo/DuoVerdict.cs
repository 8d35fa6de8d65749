namespace RulesMfa.Host.Factors.Duo;

/// <summary>What Duo's answer to one trip says, once its code is exchanged and its <c>id_token</c> checked: a closed set.</summary>
public abstract record DuoVerdict
{
    private DuoVerdict()
    {
    }

    /// <summary>Duo verified the user: a valid token for the username asked about, with <c>auth_result.result</c> <c>allow</c>.</summary>
    public sealed record Allowed : DuoVerdict;

    /// <summary>A valid token saying Duo did not verify the user (<c>auth_result.result</c> <c>deny</c>), with Duo's status.</summary>
    public sealed record Denied(string Status) : DuoVerdict;

    /// <summary>A valid token for another Duo user than the one asked about.</summary>
    public sealed record WrongUser : DuoVerdict;

    /// <summary>No usable answer: Duo refused the code, could not be reached, or its token failed a check (<paramref name="Reason"/>, no secret in it).</summary>
    public sealed record Invalid(string Reason) : DuoVerdict;
}
