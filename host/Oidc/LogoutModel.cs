using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using RulesMfa.Host.Login;
using RulesMfa.Host.Tenants;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RulesMfa.Host.Oidc;

/// <summary>
/// <c>/connect/logout</c> (OpenID Connect RP-initiated logout; OpenIddict has validated the request and any
/// <c>id_token_hint</c>). The session ends at once when the hint names the signed-in user, or when nobody is signed in;
/// otherwise the user is asked to confirm with a form that only this page can post (antiforgery), so that a link or
/// image on another site cannot sign anyone out.
/// </summary>
// Apps may post their logout requests without our antiforgery token; only the confirmation needs it (checked below).
[IgnoreAntiforgeryToken]
public sealed class LogoutModel(TenantClients clients, IAntiforgery antiforgery) : PageModel
{
    /// <summary>The name of the confirmation form's button.</summary>
    public const string ConfirmField = "confirm";

    /// <summary>The logout request's parameters, posted again with the confirmation.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RequestParameters { get; private set; } = [];

    public Task<IActionResult> OnGetAsync() => LogOutAsync(confirmed: false);

    public async Task<IActionResult> OnPostAsync() =>
        await LogOutAsync(confirmed: Request.Form.ContainsKey(ConfirmField) && await antiforgery.IsRequestValidAsync(HttpContext));

    private async Task<IActionResult> LogOutAsync(bool confirmed)
    {
        var request = HttpContext.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var tenant = TenantContext.Required(HttpContext).Id;
        if (request.PostLogoutRedirectUri is { } redirect && !await clients.OwnsPostLogoutRedirectAsync(redirect, tenant, HttpContext.RequestAborted))
        {
            return BadRequest(new { error = Errors.InvalidRequest, error_description = "The post_logout_redirect_uri is not registered for this tenant." });
        }

        var session = LoginSession.From((await HttpContext.AuthenticateAsync(SessionSchemes.Session)).Principal);
        if (session is not null && !confirmed && !await HintNamesAsync(session))
        {
            RequestParameters = request.GetParameters()
                .Where(parameter => parameter.Key is not (ConfirmField or "__RequestVerificationToken"))
                .Select(parameter => KeyValuePair.Create(parameter.Key, parameter.Value.ToString() ?? ""))
                .ToList();
            return Page();
        }

        await HttpContext.SignOutAsync(SessionSchemes.Session);
        await HttpContext.SignOutAsync(SessionSchemes.Mfa);
        return SignOut(new AuthenticationProperties { RedirectUri = $"{Request.PathBase}/logged-out" }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Whether the request's <c>id_token_hint</c> (validated by OpenIddict for this tenant's issuer) is the signed-in user's.</summary>
    private async Task<bool> HintNamesAsync(LoginSession session)
    {
        var hint = (await HttpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        return hint?.GetClaim(Claims.Subject) is { } subject && subject == session.UserId;
    }
}
