using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Login;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.SandboxConsole;

/// <summary>The sandbox console page: only for an admin of this tenant whose session was approved for the console; anyone else signs in first.</summary>
public sealed class ConsolePageModel(RulesMfaDbContext database) : PageModel
{
    public string TenantId { get; private set; } = "";

    public string AdminEmail { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        TenantId = TenantContext.Required(HttpContext).Id;
        var admin = await SignedInAdminAsync(HttpContext, database, cancellationToken);
        if (admin is null)
        {
            return Redirect($"{Request.PathBase}/admin/sign-in");
        }

        AdminEmail = admin.Email;
        // The console loads only its own scripts and styles; nothing inline, nothing from elsewhere.
        Response.Headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
        return Page();
    }

    /// <summary>The admin of this request's tenant whose session was approved for the console, or null.</summary>
    internal static async Task<UserRecord?> SignedInAdminAsync(HttpContext http, RulesMfaDbContext database, CancellationToken cancellationToken)
    {
        var tenantId = TenantContext.Required(http).Id;
        var session = LoginSession.From((await http.AuthenticateAsync(SessionSchemes.Session)).Principal);
        var admin = session is { OpensConsole: true } && session.TenantId == tenantId
            ? await database.Users.SingleOrDefaultAsync(user => user.Id == session.UserId && user.TenantId == tenantId && user.IsAdmin, cancellationToken)
            : null;
        return admin is not null && session!.IsCurrentFor(admin) ? admin : null;
    }
}
