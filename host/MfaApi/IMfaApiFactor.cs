using RulesMfa.Host.Factors;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// What a factor adds to appear in the MFA API (Auth0's wire format): its <c>authenticator_type</c> and oob channels, its
/// user's authenticators to list and delete, and what <c>associate</c>, <c>challenge</c> and the grants ask of it. A factor
/// joins by returning one from <see cref="IMfaFactor.Api"/>. What stays outside every factor, once for all: the
/// <c>mfa_token</c>, the plan check (only a factor of the current step), "an existing factor first", the attempt bucket,
/// the first recovery code, the factor-added notice, the <c>oob_code</c>, polling and the generic audit events.
/// </summary>
/// <remarks>
/// The grant that checks a factor's secret follows from <see cref="AuthenticatorType"/>: <c>otp</c> is checked by the
/// <c>mfa-otp</c> grant, <c>oob</c> by <c>mfa-oob</c> (its <c>binding_code</c>, or nothing while a push waits), and
/// <c>recovery-code</c> by <c>mfa-recovery-code</c>. The factor's state in the transaction goes through
/// <see cref="FactorStep.SaveStateAsync"/>, as on the hosted pages.
/// </remarks>
public interface IMfaApiFactor
{
    /// <summary>Auth0's <c>authenticator_type</c>: <c>otp</c>, <c>oob</c> or <c>recovery-code</c>.</summary>
    string AuthenticatorType { get; }

    /// <summary>The <c>oob_channels</c> it serves (<c>email</c>; a phone factor <c>sms</c> and <c>voice</c>; push <c>auth0</c>); empty unless oob.</summary>
    IReadOnlyList<string> OobChannels { get; }

    /// <summary>The user's authenticators of this factor (<c>GET /mfa/authenticators</c>).</summary>
    Task<IReadOnlyList<MfaApiAuthenticator>> AuthenticatorsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken);

    /// <summary>Removes the user's authenticator <paramref name="id"/> (as listed); false when the user has no such authenticator.</summary>
    Task<bool> RemoveAsync(RulesMfaDbContext database, UserRecord user, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Starts an enrollment (<c>POST /mfa/associate</c>) whose secret the matching grant confirms; the host has checked that
    /// the step offers this factor and that the user may enroll.
    /// </summary>
    Task<MfaApiAssociation> AssociateAsync(FactorStep step, MfaApiRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<MfaApiAssociation>(new MfaApiAssociation.Refused("This factor cannot be set up through the MFA API."));

    /// <summary>
    /// Prepares a challenge (<c>POST /mfa/challenge</c>): sends a code, or nothing for a code the user already has.
    /// <paramref name="authenticatorId"/> is the id the client named (one this factor listed), or null.
    /// </summary>
    Task<MfaApiChallenge> ChallengeAsync(FactorStep step, string? authenticatorId, CancellationToken cancellationToken) =>
        Task.FromResult<MfaApiChallenge>(new MfaApiChallenge.Ready(Oob: false, BindingMethod: null));

    /// <summary>
    /// Checks <paramref name="secret"/> (the <c>otp</c>, <c>binding_code</c> or <c>recovery_code</c>; empty while polling
    /// a push), confirming the pending enrollment of this transaction when <paramref name="enrolling"/>.
    /// </summary>
    Task<FactorResult> VerifyAsync(FactorStep step, string secret, bool enrolling, CancellationToken cancellationToken);
}
