using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Login;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Oidc;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Admin;

/// <summary>
/// <c>/admin/sign-in</c>: admins sign in through the tenant's own login — the password page, then the tenant's rules
/// (they see <c>context.clientID</c> = <see cref="ConsoleClientId"/>) and always an MFA challenge or enrollment on
/// the same pages as any login — and land in the console with a session that did MFA.
/// </summary>
public static class AdminSignIn
{
    /// <summary>The client id the rules see for an admin's sign-in to the console.</summary>
    public const string ConsoleClientId = "rulesmfa-console";

    private const string ConsolePath = "/admin";

    public static void MapAdminSignIn(this WebApplication app) => app.MapGet("/admin/sign-in", SignInAsync);

    private static async Task<IResult> SignInAsync(HttpContext http, RulesMfaDbContext database, LoginDecisions decisions, ILogger<AdminAccess> logger)
    {
        var tenant = TenantContext.Required(http).Id;
        var here = $"{http.Request.PathBase}/admin/sign-in";
        var session = LoginSession.From((await http.AuthenticateAsync(SessionSchemes.Session)).Principal);
        if (session is null || session.TenantId != tenant)
        {
            return Results.Challenge(new AuthenticationProperties { RedirectUri = here }, [SessionSchemes.Session]);
        }

        var user = await database.Users.SingleOrDefaultAsync(record => record.Id == session.UserId && record.TenantId == tenant, http.RequestAborted);
        if (user is null || !user.IsAdmin)
        {
            return Refused("You are signed in, but not as an admin of this tenant.");
        }

        if (session.DidMfa)
        {
            return Results.Redirect($"{http.Request.PathBase}{ConsolePath}");
        }

        var request = new OpenIddictRequest { ClientId = ConsoleClientId, AcrValues = OidcServerSetup.MultiFactorAcr, ResponseType = "code", Scope = "openid" };
        var (decision, plan) = await decisions.DecideAsync(user, session, request, "oidc-basic-profile", http, rememberedBrowserToken: null,
            http.RequestAborted, alwaysMfa: true);
        (bool Enroll, IReadOnlyList<string> Factors, bool Recovery)? step = plan switch
        {
            FactorPlan.Challenge challenge => (false, challenge.Factors, challenge.RecoveryCodeAllowed),
            FactorPlan.Enroll enrollment => (true, enrollment.Factors, false),
            _ => null,
        };
        if (step is not { } mfa)
        {
            return Refused(plan is FactorPlan.Deny deny ? deny.Description : "This tenant offers no factor an admin could sign in with.");
        }

        var pending = new MfaTransaction(user.Id, "admin-console", mfa.Enroll, mfa.Factors, mfa.Recovery, RememberBrowserAllowed: false,
            decision.IdTokenClaims, decision.AccessTokenClaims, null);
        await http.SignInAsync(SessionSchemes.Mfa, pending.ToPrincipal());
        logger.LogInformation("Admin {UserId} of tenant {TenantId} is asked for MFA to open the console", user.Id, tenant);
        return Results.Redirect($"{http.Request.PathBase}/mfa{(mfa.Enroll ? "/enroll" : "")}?returnUrl={Uri.EscapeDataString(here)}");
    }

    private static IResult Refused(string why) => Results.Content(
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not allowed</title></head><body><h1>Not allowed</h1><p id=\"refused\">{System.Net.WebUtility.HtmlEncode(why)}</p></body></html>",
        "text/html; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
}
