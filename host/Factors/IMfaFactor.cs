using RulesMfa.Engine.Policy;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors;

/// <summary>
/// One MFA factor as the rest of the host sees it: registered with one line (<see cref="FactorRegistration.AddMfaFactor{T}"/>),
/// and everything else (the rules' inputs, the pages, the factor choice, <c>reset-mfa</c>, settings validation) loops over
/// the registered factors. What stays outside every factor, once for all of them: the plan check (a handler accepts only a
/// factor of the current step), the "existing factor first" rule, the attempt bucket, the first recovery code, the
/// factor-added notice and the generic audit events (<c>mfa.succeeded</c>, <c>mfa.failed</c>, <c>mfa.enrolled</c>,
/// <c>mfa.factor-refused</c>). A factor logs only its own events (a code sent, a replay, a cloned authenticator).
/// </summary>
/// <remarks>
/// Factors are singletons without state; what a step needs (the request, the user, its services) comes in a
/// <see cref="FactorStep"/>, and storage comes as the <see cref="RulesMfaDbContext"/> so that the CLI can use them too.
/// </remarks>
public interface IMfaFactor
{
    /// <summary>The factor type (<see cref="FactorType"/>); the tenant's <c>enabledFactors</c> and the rules name it.</summary>
    string Type { get; }

    /// <summary>What users read for this factor.</summary>
    string DisplayName => FactorType.DisplayNameOf(Type);

    /// <summary>The RFC 8176 <c>amr</c> values a pass of this factor may add to <c>mfa</c> (each pass says which it earned).</summary>
    IReadOnlyList<string> AmrValues { get; }

    /// <summary>The view that shows this factor on the challenge page (a partial whose model is a <see cref="FactorPart"/>).</summary>
    string ChallengePart { get; }

    /// <summary>The view that enrolls this factor; null when users do not enroll it themselves (the recovery code).</summary>
    string? EnrollPart { get; }

    /// <summary>What <c>reset-mfa</c> reports it removed, for a count: "security key(s)".</summary>
    string RemovedNoun { get; }

    /// <summary>The user's enrollments of this factor, for the policy and the rules' inputs.</summary>
    Task<IReadOnlyList<FactorEnrollment>> EnrollmentsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken);

    /// <summary>Removes every enrollment (and pending state) of the user; returns how many enrollments.</summary>
    Task<int> RemoveAllAsync(RulesMfaDbContext database, string userId, CancellationToken cancellationToken);

    /// <summary>The actions the challenge part posts (<see cref="FactorActions"/>): the page refuses any other.</summary>
    FactorActions ChallengeActions { get; }

    /// <summary>The actions the enrollment part posts; none when users do not enroll this factor themselves.</summary>
    FactorActions EnrollActions => FactorActions.None;

    /// <summary>What the challenge part shows; <paramref name="state"/> is what the last post left (<see cref="FactorResult"/>).</summary>
    Task<object?> PrepareChallengeAsync(FactorStep step, object? state, CancellationToken cancellationToken);

    /// <summary>Handles a post of the challenge part.</summary>
    Task<FactorResult> ChallengeAsync(FactorStep step, string action, CancellationToken cancellationToken);

    /// <summary>What the enrollment part shows.</summary>
    Task<object?> PrepareEnrollAsync(FactorStep step, object? state, CancellationToken cancellationToken) => Task.FromResult(state);

    /// <summary>Handles a post of the enrollment part.</summary>
    Task<FactorResult> EnrollAsync(FactorStep step, string action, CancellationToken cancellationToken) =>
        Task.FromResult<FactorResult>(new FactorResult.Pending(null));

    /// <summary>
    /// True when, the user having just passed another factor, this factor should be offered to them as an optional
    /// enrollment (progressive enrollment, as Auth0 offers device biometrics). Default false.
    /// </summary>
    Task<bool> OffersAfterChallengeAsync(FactorStep step, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>What this factor does in the MFA API (Auth0's wire format); null (the default) when it does not appear there.</summary>
    MfaApi.IMfaApiFactor? Api => null;
}
