using RulesMfa.Engine.Policy;

namespace RulesMfa.Host.Factors;

/// <summary>The registered factors, in registration order, by type.</summary>
public sealed class MfaFactors(IEnumerable<IMfaFactor> registered)
{
    private readonly Dictionary<string, IMfaFactor> byType = registered.ToDictionary(factor => factor.Type, StringComparer.Ordinal);

    public IReadOnlyList<IMfaFactor> All { get; } = registered.ToList();

    /// <summary>True when a registered factor serves <paramref name="type"/>.</summary>
    public bool Serves(string type) => byType.ContainsKey(type);

    public IMfaFactor? Find(string? type) => type is not null && byType.TryGetValue(type, out var factor) ? factor : null;

    /// <summary>What users read for <paramref name="type"/>, registered or not.</summary>
    public string DisplayNameOf(string type) => Find(type)?.DisplayName ?? FactorType.DisplayNameOf(type);

    /// <summary>
    /// What is wrong with a tenant's <c>enabledFactors</c>, or null: each must be served here, and device biometrics are
    /// added only after another factor, so they are never the only offerable one.
    /// </summary>
    public string? ProblemWith(IReadOnlyCollection<string> enabledFactors)
    {
        if (enabledFactors.FirstOrDefault(type => !Serves(type)) is { } unserved)
        {
            return $"'{unserved}' is not a factor this server serves; use one or more of {string.Join(", ", All.Select(factor => factor.Type))}";
        }

        var offerable = FactorType.OfferableBySecurity(enabledFactors);
        return offerable.Count == 0 || offerable.All(type => type == FactorType.WebAuthnPlatform)
            ? $"enable at least one factor a user can enroll first ({string.Join(", ", All.Select(factor => factor.Type).Where(type => type is not FactorType.WebAuthnPlatform and not FactorType.RecoveryCode))}); {FactorType.WebAuthnPlatform} is added only after another factor and {FactorType.RecoveryCode} only stands in for one"
            : null;
    }
}
