using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using RulesMfa.Host.Login;
using RulesMfa.Host.Oidc;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Admin;

/// <summary>
/// Who may use a tenant's admin API: an admin of that tenant whose session the tenant's rules approved for the console, with MFA
/// (<see cref="LoginSession.OpensConsole"/>; cookie requests must also carry <see cref="ConsoleHeader"/>, which a cross-site form cannot send), or a
/// machine client of that tenant with an access token (client credentials) holding <see cref="Scope"/>.
/// </summary>
public sealed class AdminAccess(RulesMfaDbContext database, TenantClients clients)
{
    /// <summary>The scope a machine client needs for the admin API.</summary>
    public const string Scope = "rulesmfa.admin";

    /// <summary>The header the console sends with every API call (cross-site request forgery protection for cookie sessions).</summary>
    public const string ConsoleHeader = "X-RulesMfa-Console";

    public async Task<AdminCaller> IdentifyAsync(HttpContext http)
    {
        var tenant = TenantContext.Required(http).Id;
        if (http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var principal = (await http.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)).Principal;
            var clientId = principal?.GetClaim(OpenIddictConstants.Claims.ClientId) ?? principal?.GetClaim(OpenIddictConstants.Claims.Subject);
            if (principal is null || clientId is null)
            {
                return AdminCaller.Refused(StatusCodes.Status401Unauthorized, "The access token is not valid.");
            }

            if (!await clients.BelongsToAsync(clientId, tenant, http.RequestAborted))
            {
                return AdminCaller.Refused(StatusCodes.Status403Forbidden, "The client belongs to another tenant.");
            }

            return principal.HasScope(Scope)
                ? AdminCaller.Allowed(tenant, Actor.Client(clientId))
                : AdminCaller.Refused(StatusCodes.Status403Forbidden, $"The access token lacks the scope {Scope}.");
        }

        var session = LoginSession.From((await http.AuthenticateAsync(SessionSchemes.Session)).Principal);
        if (session is null || session.TenantId != tenant)
        {
            return AdminCaller.Refused(StatusCodes.Status401Unauthorized, "Sign in as an admin of this tenant, or send an access token.");
        }

        if (!http.Request.Headers.ContainsKey(ConsoleHeader))
        {
            return AdminCaller.Refused(StatusCodes.Status403Forbidden, $"Requests signed in by cookie must carry the {ConsoleHeader} header.");
        }

        var admin = await database.Users.AsNoTracking().SingleOrDefaultAsync(user => user.Id == session.UserId && user.TenantId == tenant && user.IsAdmin, http.RequestAborted);
        if (admin is null)
        {
            return AdminCaller.Refused(StatusCodes.Status403Forbidden, "This user is not an admin of this tenant.");
        }

        if (!session.IsCurrentFor(admin))
        {
            return AdminCaller.Refused(StatusCodes.Status401Unauthorized, "This session began before your MFA was reset: sign in again.");
        }

        return session.OpensConsole
            ? AdminCaller.Allowed(tenant, Actor.User(session.UserId))
            : AdminCaller.Refused(StatusCodes.Status403Forbidden, "Admins must open the console at /admin/sign-in, where the tenant's rules run and MFA is required.");
    }
}

/// <summary>The outcome of <see cref="AdminAccess.IdentifyAsync"/>: an actor of a tenant, or a refusal with its status.</summary>
public sealed record AdminCaller(string? TenantId, Actor? Actor, int Status, string? Problem)
{
    public bool IsAllowed => Actor is not null;

    public static AdminCaller Allowed(string tenantId, Actor actor) => new(tenantId, actor, StatusCodes.Status200OK, null);

    public static AdminCaller Refused(int status, string problem) => new(null, null, status, problem);
}
