namespace RulesMfa.Host.Factors;

/// <summary>
/// A factor whose challenge happens at its own service (Duo's Universal Prompt): its challenge returns
/// <see cref="FactorResult.Redirect"/>, and the service sends the browser back to <see cref="CallbackPath"/>, which the
/// challenge page serves like a post of this factor (accepted only while the current step offers it).
/// </summary>
public interface IFactorCallback : IMfaFactor
{
    /// <summary>The callback's path under the tenant (<c>/mfa/duo/callback</c>).</summary>
    string CallbackPath { get; }

    /// <summary>Handles the service's answer (its query string).</summary>
    Task<FactorResult> CallbackAsync(FactorStep step, CancellationToken cancellationToken);
}
