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
/// <c>/admin/sign-in</c>: admins open the console through the tenant's own login — the password page, then the tenant's
/// rules (they see <c>context.clientID</c> = <see cref="ConsoleClientId"/>) and an MFA challenge or enrollment on the same
/// pages as any login unless this session already did MFA and the rules ask for none — and land in the console with a
/// session the rules approved for it (<see cref="LoginSession.ConsoleApproved"/>). The rules run here whatever client
/// the session came from, so a rule that denies the console client locks the console as it locks any client.
/// </summary>
public static class AdminSignIn
{
    /// <summary>The client id the rules see for an admin's sign-in to the console.</summary>
    public const string ConsoleClientId = "rulesmfa-console";

    /// <summary>The <see cref="MfaTransaction.RequestHash"/> of the console's MFA.</summary>
    private const string ConsoleTransaction = "admin-console";

    private const string ConsolePath = "/admin";

    public static void MapAdminSignIn(this WebApplication app) => app.MapGet("/admin/sign-in", SignInAsync);

    private static async Task<IResult> SignInAsync(
        HttpContext http, RulesMfaDbContext database, LoginDecisions decisions, MfaStart mfa, ILogger<AdminAccess> logger)
    {
        var tenant = TenantContext.Required(http).Id;
        var here = $"{http.Request.PathBase}/admin/sign-in";
        var session = LoginSession.From((await http.AuthenticateAsync(SessionSchemes.Session)).Principal);
        if (session is null || session.TenantId != tenant)
        {
            return Results.Challenge(new AuthenticationProperties { RedirectUri = here }, [SessionSchemes.Session]);
        }

        var user = await database.Users.SingleOrDefaultAsync(record => record.Id == session.UserId && record.TenantId == tenant, http.RequestAborted);
        if (user is not null && !session.IsCurrentFor(user))
        {
            // A session from before this user's MFA was reset: the password again.
            await http.SignOutAsync(SessionSchemes.Session);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = here }, [SessionSchemes.Session]);
        }

        if (user is null || !user.IsAdmin)
        {
            return Refused("You are signed in, but not as an admin of this tenant.");
        }

        if (session.OpensConsole)
        {
            return Results.Redirect($"{http.Request.PathBase}{ConsolePath}");
        }

        var transaction = MfaTransaction.From((await http.AuthenticateAsync(SessionSchemes.Mfa)).Principal);
        if (transaction is { Completed: true, RequestHash: ConsoleTransaction } && transaction.UserId == user.Id && session.DidMfa)
        {
            await http.SignOutAsync(SessionSchemes.Mfa);
            return await OpenConsoleAsync(http, session, logger);
        }

        var request = new OpenIddictRequest { ClientId = ConsoleClientId, AcrValues = OidcServerSetup.MultiFactorAcr, ResponseType = "code", Scope = "openid" };
        var (decision, plan) = await decisions.DecideAsync(user, session, request, "oidc-basic-profile", http, rememberedBrowserToken: null,
            http.RequestAborted, alwaysMfa: true);
        switch (plan)
        {
            case FactorPlan.Deny deny:
                return Refused(deny.Description);
            case FactorPlan.None when session.DidMfa:
                return await OpenConsoleAsync(http, session, logger);
        }

        var started = await mfa.BeginAsync(http, user, ConsoleTransaction, plan, decision, rememberBrowserAllowed: false, ConsoleClientId, here);
        return started ?? Refused("This tenant offers no factor an admin could sign in with.");
    }

    private static async Task<IResult> OpenConsoleAsync(HttpContext http, LoginSession session, ILogger logger)
    {
        await http.SignInAsync(SessionSchemes.Session, (session with { ConsoleApproved = true }).ToPrincipal());
        logger.LogInformation("Admin {UserId} of tenant {TenantId} opened the console", session.UserId, session.TenantId);
        return Results.Redirect($"{http.Request.PathBase}{ConsolePath}");
    }

    private static IResult Refused(string why) => Results.Content(
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not allowed</title></head><body><h1>Not allowed</h1><p id=\"refused\">{System.Net.WebUtility.HtmlEncode(why)}</p></body></html>",
        "text/html; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
}
