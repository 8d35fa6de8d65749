using RulesMfa.Engine.Policy;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Mfa;

/// <summary>A user's enrollments of every registered factor, as the rules and the policy see them.</summary>
public sealed class EnrolledFactors(RulesMfaDbContext database, MfaFactors factors)
{
    /// <summary>
    /// Each enrollment, in the factors' registration order; one that counts only next to another factor (a verified
    /// account email) is listed only when the user has a factor to sign in with.
    /// </summary>
    public async Task<IReadOnlyList<FactorEnrollment>> EnrollmentsOfUserAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await database.Users.FindAsync([userId], cancellationToken);
        if (user is null)
        {
            return [];
        }

        var enrollments = new List<FactorEnrollment>();
        foreach (var factor in factors.All)
        {
            enrollments.AddRange(await factor.EnrollmentsAsync(database, user, cancellationToken));
        }

        var canSignIn = FactorType.OfferableBySecurity(enrollments.Where(enrollment => enrollment.Standalone).Select(enrollment => enrollment.Type)).Count > 0;
        return enrollments.Where(enrollment => enrollment.Standalone || canSignIn).ToList();
    }

    /// <summary>The factor types the user has, once each.</summary>
    public async Task<IReadOnlyList<string>> OfUserAsync(string userId, CancellationToken cancellationToken) =>
        (await EnrollmentsOfUserAsync(userId, cancellationToken)).Select(enrollment => enrollment.Type).Distinct().ToList();

    /// <summary>True when the user has a factor to sign in with (a recovery code alone does not count).</summary>
    public async Task<bool> AnyConfirmedAsync(string userId, CancellationToken cancellationToken) =>
        FactorType.OfferableBySecurity(await OfUserAsync(userId, cancellationToken)).Count > 0;
}
