using System.ComponentModel.DataAnnotations;

namespace RulesMfa.Engine.Policy;

/// <summary>
/// A tenant's MFA settings, read by <see cref="MfaPolicy"/>. The fail mode for faulted rules is not here: the rule
/// pipeline applies it (<see cref="Evaluation.RulePipelineSettings.FailMode"/>) before the policy runs.
/// </summary>
public sealed class TenantMfaSettings : IValidatableObject
{
    /// <summary>
    /// The factor types users may enroll and be challenged with, in Actions' spelling (<see cref="FactorType"/>).
    /// Default <c>otp</c>, <c>email</c> and <c>recovery-code</c>: what the host can serve without extra set-up.
    /// </summary>
    public IReadOnlyList<string> EnabledFactors { get; init; } = [FactorType.Otp, FactorType.Email, FactorType.RecoveryCode];

    /// <summary>Require MFA when no rule asked for it or skipped it. Default false.</summary>
    public bool AlwaysRequireMfa { get; init; }

    /// <summary>
    /// Honour a client's step-up request (<see cref="AcrValues.MultiFactor"/> in <c>acr_values</c>): MFA unless this
    /// session already did it, whatever the rules said and however the browser is remembered. Default true.
    /// </summary>
    public bool HonorStepUp { get; init; } = true;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var type in EnabledFactors.Where(type => !FactorType.IsKnown(type)))
        {
            yield return new ValidationResult(
                $"Unknown factor type '{type}' in {nameof(EnabledFactors)}; use one of {string.Join(", ", FactorType.All)}.",
                [nameof(EnabledFactors)]);
        }
    }
}
