namespace RulesMfa.Host.MfaApi;

/// <summary>What a presented <c>mfa_token</c> turned out to be: a closed set.</summary>
public abstract record MfaTokenLookup
{
    private MfaTokenLookup()
    {
    }

    /// <summary>A token of this tenant whose login is waiting for MFA.</summary>
    public sealed record Live(MfaTokenRecord Record, MfaApiLogin Login) : MfaTokenLookup;

    /// <summary>Not a token this tenant issued (tampered, of another tenant, or no token at all).</summary>
    public sealed record Malformed : MfaTokenLookup;

    /// <summary>Issued here, but past its lifetime or its login already completed.</summary>
    public sealed record Expired : MfaTokenLookup;
}
