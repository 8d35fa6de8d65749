using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Telemetry;

namespace RulesMfa.Host.Login;

/// <summary>The password page. Unknown users and wrong passwords get the same message.</summary>
public sealed class LoginModel(PasswordLogin passwords, KnownDevices knownDevices, RulesMfaDbContext database, TimeProvider clock, ILogger<LoginModel> logger)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var tenant = TenantContext.Required(HttpContext).Id;
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password) || Email.Length > 254 || Password.Length > 1024)
        {
            Error = "Enter your email and password.";
            return Page();
        }

        var address = HttpContext.Connection.RemoteIpAddress;
        var check = await passwords.CheckAsync(tenant, Email, Password, address, passwordHash => knownDevices.Read(HttpContext, tenant, Email, passwordHash), cancellationToken);
        if (check is PasswordCheck.Blocked blocked)
        {
            logger.LockedOut(tenant, address?.ToString(), Math.Ceiling(blocked.For.TotalSeconds));
            RulesMfaMetrics.LoginLockedOut(tenant);
            Error = $"Too many failed sign-ins. Wait {FormatWait(blocked.For)} and try again.";
            return Page();
        }

        if (check is not PasswordCheck.Passed { User: var user, KnownDevice: var device })
        {
            logger.LoginFailed(tenant, address?.ToString());
            RulesMfaMetrics.LoginFailed(tenant);
            Error = "Wrong email or password.";
            return Page();
        }

        var now = clock.GetUtcNow();
        var tracked = await database.Users.FindAsync([user.Id], cancellationToken);
        tracked!.LoginsCount++;
        tracked.LastLogin = now;
        await database.SaveChangesAsync(cancellationToken);

        knownDevices.Write(HttpContext, tenant, Email, user.PasswordHash, device);
        await HttpContext.SignOutAsync(SessionSchemes.Mfa);
        await HttpContext.SignInAsync(SessionSchemes.Session, LoginSession.AfterPassword(user.Id, tenant, now).ToPrincipal());
        logger.LoginSucceeded(user.Id, tenant, HttpContext.Connection.RemoteIpAddress?.ToString());
        RulesMfaMetrics.LoginSucceeded(tenant);
        return LocalRedirect(TenantReturnUrl.Resolve(ReturnUrl, Request));
    }

    private static string FormatWait(TimeSpan wait) =>
        wait < TimeSpan.FromMinutes(1) ? $"{Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} seconds" : $"{(int)Math.Ceiling(wait.TotalMinutes)} minutes";
}
