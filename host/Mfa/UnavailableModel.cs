using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Login;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// Where a login ends when none of the factors its rules allow can be offered: a heading, the factors in words, and the way
/// back to the application, which then receives <c>access_denied</c> with <see cref="MfaTransaction.Refusal"/>
/// (<c>Oidc/AuthorizeEndpoint</c>). The audit event <c>mfa.factors-unavailable</c> was logged when the login came here.
/// </summary>
public sealed class UnavailableModel(MfaFactors factors) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public IReadOnlyList<string> FactorNames { get; private set; } = [];

    /// <summary>Why, when a factor's service is down (<see cref="MfaTransaction.Outage"/>); null when a factor is missing.</summary>
    public string? Outage { get; private set; }

    /// <summary>The authorization request again: it answers the application with the refusal.</summary>
    public string BackUrl => TenantReturnUrl.Resolve(ReturnUrl, Request);

    public async Task<IActionResult> OnGetAsync()
    {
        var transaction = MfaTransaction.From((await HttpContext.AuthenticateAsync(SessionSchemes.Mfa)).Principal);
        if (transaction is null)
        {
            Error = "Your sign-in has expired. Go back to the application and sign in again.";
            return Page();
        }

        FactorNames = transaction.Factors.Select(factors.DisplayNameOf).Distinct().ToList();
        Outage = transaction.Outage ? transaction.Refusal : null;
        return Page();
    }
}
