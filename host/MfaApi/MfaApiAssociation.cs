namespace RulesMfa.Host.MfaApi;

/// <summary>What a factor made of <c>POST /mfa/associate</c>: a closed set.</summary>
public abstract record MfaApiAssociation
{
    private MfaApiAssociation()
    {
    }

    /// <summary>An authenticator app to add: the key and the <c>otpauth://</c> URI of its QR code.</summary>
    public sealed record Otp(string Secret, string BarcodeUri) : MfaApiAssociation;

    /// <summary>
    /// A code went out on <paramref name="Channel"/>; the host answers with an <c>oob_code</c>. <paramref name="BindingMethod"/>
    /// is <c>prompt</c> when the user types the code they received as the <c>binding_code</c>.
    /// </summary>
    public sealed record Oob(string Channel, string? BindingMethod, string? BarcodeUri = null) : MfaApiAssociation;

    /// <summary>Nothing was started; <paramref name="Description"/> says why (a bad address, too many codes sent).</summary>
    public sealed record Refused(string Description, bool TooMany = false) : MfaApiAssociation;
}
