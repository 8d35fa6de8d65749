using RulesMfa.Engine.Policy;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Mfa;

namespace RulesMfa.Host.MfaApi;

/// <summary>Which factors a step offers through the API.</summary>
public static class MfaApiOffers
{
    /// <summary>
    /// The factors of <paramref name="transaction"/>'s current step that have an API part, most secure first: to enroll (a
    /// step of enrollment, only factors users enroll themselves) or to challenge, with the recovery code last when the step
    /// allows it.
    /// </summary>
    public static IReadOnlyList<IMfaFactor> Of(MfaTransaction transaction, MfaFactors factors)
    {
        var offered = transaction.Factors.Select(factors.Find).OfType<IMfaFactor>()
            .Where(factor => factor.Api is not null && (!transaction.Enroll || factor.EnrollPart is not null)).ToList();
        if (!transaction.Enroll && transaction.RecoveryCodeAllowed && factors.Find(FactorType.RecoveryCode) is { Api: not null } recovery)
        {
            offered.Add(recovery);
        }

        return offered;
    }
}
