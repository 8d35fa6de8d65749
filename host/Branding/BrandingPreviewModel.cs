using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RulesMfa.Host.Admin;
using RulesMfa.Host.SandboxConsole;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Branding;

/// <summary>
/// The console's branding preview: a sign-in page as the posted (unsaved) branding would show it, framed by the console
/// only. For a console admin, with the form's antiforgery token; settings that could not be saved show their problems instead.
/// </summary>
[ValidateAntiForgeryToken]
public sealed class BrandingPreviewModel(RulesMfaDbContext database) : PageModel
{
    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? LogoUrl { get; set; }

    [BindProperty]
    public string? PrimaryColor { get; set; }

    [BindProperty]
    public string? PageTemplate { get; set; }

    public IReadOnlyList<FieldError> Problems { get; private set; } = [];

    public IActionResult OnGet() => Redirect($"{Request.PathBase}/admin");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await ConsolePageModel.SignedInAdminAsync(HttpContext, database, cancellationToken) is null)
        {
            return Redirect($"{Request.PathBase}/admin/sign-in");
        }

        var branding = new BrandingSettings(DisplayName, LogoUrl, PrimaryColor, PageTemplate);
        Problems = branding.Problems();
        if (Problems.Count == 0)
        {
            var model = branding.ToModel();
            TenantBranding.ShowInstead(HttpContext, new TenantBranding.Brand(model.TenantName, model.LogoUrl, model.Color, BrandingSettings.NullIfEmpty(PageTemplate)));
        }

        HostedPagePolicy.AllowFramingBySelf(HttpContext);
        return Page();
    }
}
