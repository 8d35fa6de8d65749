using System.Text;

namespace RulesMfa.Engine.Policy;

/// <summary>
/// What the user must do next: nothing, pass a challenge, enroll a factor, or nothing more because the login is denied.
/// Each plan carries a <see cref="Reason"/> for the admin's logs (never shown to the user). Plans compare by value,
/// factor lists included, so a replay or a backtest can compare them.
/// </summary>
public abstract record FactorPlan
{
    private FactorPlan(string reason) => Reason = reason;

    /// <summary>Why this plan, such as <c>rules asked for MFA; remembered browser</c> (see <see cref="PlanReason"/>).</summary>
    public string Reason { get; init; }

    /// <summary>No MFA in this login.</summary>
    public sealed record None(string Reason) : FactorPlan(Reason);

    /// <summary>
    /// Prove one of <paramref name="Factors"/>, the user's enrolled ones, most secure first; then, when
    /// <see cref="ThenEnroll"/> is not empty, enroll one of those in the same transaction.
    /// </summary>
    /// <param name="Factors">The factors to choose from; never empty, never a recovery code.</param>
    /// <param name="RecoveryCodeAllowed">A recovery code may stand in for them ("lost your device").</param>
    /// <param name="Reason">Why.</param>
    public sealed record Challenge(IReadOnlyList<string> Factors, bool RecoveryCodeAllowed, string Reason) : FactorPlan(Reason)
    {
        /// <summary>
        /// Factors to enroll once the challenge is passed, most secure first: a user who already has a factor adds
        /// another only after proving one of theirs. Empty for a plain challenge.
        /// </summary>
        public IReadOnlyList<string> ThenEnroll { get; init; } = [];

        /// <inheritdoc/>
        public bool Equals(Challenge? other) =>
            base.Equals(other) && Factors.SequenceEqual(other.Factors) && RecoveryCodeAllowed == other.RecoveryCodeAllowed
            && ThenEnroll.SequenceEqual(other.ThenEnroll);

        /// <inheritdoc/>
        public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), string.Join(' ', Factors), RecoveryCodeAllowed, string.Join(' ', ThenEnroll));

        /// <summary>Lists the factors, where a record would print the list's type name.</summary>
        protected override bool PrintMembers(StringBuilder builder)
        {
            builder.Append($"Factors = [{string.Join(", ", Factors)}], RecoveryCodeAllowed = {RecoveryCodeAllowed}, ");
            if (ThenEnroll.Count > 0)
            {
                builder.Append($"ThenEnroll = [{string.Join(", ", ThenEnroll)}], ");
            }

            builder.Append($"Reason = {Reason}");
            return true;
        }
    }

    /// <summary>
    /// Enroll one of <paramref name="Factors"/>, most secure first: only for a user with no factor yet (one who has a
    /// factor gets a <see cref="Challenge"/> with <see cref="Challenge.ThenEnroll"/>); the host issues the recovery code
    /// at this first enrollment.
    /// </summary>
    /// <param name="Factors">The factors to choose from; never empty, never a recovery code.</param>
    /// <param name="Reason">Why.</param>
    public sealed record Enroll(IReadOnlyList<string> Factors, string Reason) : FactorPlan(Reason)
    {
        /// <inheritdoc/>
        public bool Equals(Enroll? other) => base.Equals(other) && Factors.SequenceEqual(other.Factors);

        /// <inheritdoc/>
        public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), string.Join(' ', Factors));

        /// <summary>Lists the factors, where a record would print the list's type name.</summary>
        protected override bool PrintMembers(StringBuilder builder)
        {
            builder.Append($"Factors = [{string.Join(", ", Factors)}], Reason = {Reason}");
            return true;
        }
    }

    /// <summary>The login is refused with an OAuth error.</summary>
    /// <param name="Code">The OAuth error code, such as <c>access_denied</c>.</param>
    /// <param name="Description">The error description sent to the client.</param>
    /// <param name="Reason">Why.</param>
    public sealed record Deny(string Code, string Description, string Reason) : FactorPlan(Reason)
    {
        /// <summary>
        /// The factors the rules allowed when none of them can be offered here (not enabled for the tenant, or device
        /// biometrics for a user with no other factor), so the host can say which in words; empty for any other deny.
        /// </summary>
        public IReadOnlyList<string> UnavailableFactors { get; init; } = [];

        /// <inheritdoc/>
        public bool Equals(Deny? other) =>
            base.Equals(other) && Code == other.Code && Description == other.Description && UnavailableFactors.SequenceEqual(other.UnavailableFactors);

        /// <inheritdoc/>
        public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Code, Description, string.Join(' ', UnavailableFactors));

        /// <summary>Lists the factors, where a record would print the list's type name.</summary>
        protected override bool PrintMembers(StringBuilder builder)
        {
            builder.Append($"Code = {Code}, Description = {Description}, ");
            if (UnavailableFactors.Count > 0)
            {
                builder.Append($"UnavailableFactors = [{string.Join(", ", UnavailableFactors)}], ");
            }

            builder.Append($"Reason = {Reason}");
            return true;
        }
    }
}
