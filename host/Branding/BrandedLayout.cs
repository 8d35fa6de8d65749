using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Branding;

/// <summary>
/// Puts a hosted page's content inside its tenant's page template; null when the tenant has none, or when the template
/// fails (logged), so the default layout is used: never an error page, never a blank one.
/// </summary>
public sealed class BrandedLayout(ILogger<BrandedLayout> logger)
{
    public string? Around(TenantBranding.Brand brand, IHtmlContent content, HttpContext http)
    {
        if (brand.PageTemplate is not { Length: > 0 } template)
        {
            return null;
        }

        using var writer = new StringWriter();
        content.WriteTo(writer, HtmlEncoder.Default);
        switch (PageTemplates.Render(template, brand.Model, writer.ToString()))
        {
            case TemplateRender.Rendered rendered:
                return rendered.Html;
            case TemplateRender.Failed failed:
                logger.TemplateFellBack(TenantContext.Of(http)?.Id ?? "", failed.Reason);
                return null;
            default:
                return null;
        }
    }
}
