using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Values;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Templating;

namespace RulesMfa.Host.Branding;

/// <summary>
/// A tenant's page template: a Liquid layout (Fluid) around the hosted pages' content. It sees only
/// <see cref="PageTemplateModel"/> and <c>content</c>, includes no file, and runs no script: values it prints are
/// HTML-encoded, it holds no form of its own (<see cref="FormMarkup"/>), and what it makes is checked for
/// <see cref="ScriptMarkup"/> and <see cref="FormMarkup"/> when saved and again at every render (a template can assemble
/// markup from pieces, or depend on the date).
/// </summary>
/// <remarks>
/// Rendering is bounded: at most <see cref="MaxSteps"/> steps and <see cref="MaxOutputLength"/> characters. The page's
/// own content goes in after the check, where the template printed a marker for it, so the template never sees it; the
/// marker must stand between elements (<see cref="ContentPlacement"/>), never inside a tag, an attribute or text.
/// </remarks>
public static class PageTemplates
{
    /// <summary>The longest template: 20,000 characters.</summary>
    public const int MaxTemplateLength = 20_000;

    /// <summary>The most steps (tags, loop turns) one rendering may take: 10,000.</summary>
    public const int MaxSteps = 10_000;

    /// <summary>The longest output of a template, the page's content aside: 100,000 characters.</summary>
    public const int MaxOutputLength = 100_000;

    private const string Field = "pageTemplate";

    // No file provider: {% include %} and {% render %} find nothing.
    private static readonly TemplateOptions Options = new TemplateOptionsBuilder()
        .WithMaxSteps(MaxSteps).WithMaxOutputSize(MaxOutputLength).WithMaxRecursion(10).WithMaxCollectionSize(MaxSteps)
        .WithCultureInfo(CultureInfo.InvariantCulture).Build();

    /// <summary>What is wrong with <paramref name="template"/> as the tenant's layout (with its line and column where it has one), or null.</summary>
    public static FieldError? Problem(string template, PageTemplateModel model)
    {
        if (template.Length > MaxTemplateLength)
        {
            return new FieldError(Field, $"must be at most {MaxTemplateLength:N0} characters");
        }

        if (ScriptMarkup.Find(template) is var (what, index))
        {
            var (line, column) = index < 0 ? ((int?)null, (int?)null) : PositionOf(template, index);
            return new FieldError(Field, $"must not contain {what}: the hosted pages run no script of a template", line, column);
        }

        if (FormMarkup.Find(template) is var (control, at))
        {
            var (line, column) = PositionOf(template, at);
            return new FieldError(Field, $"must not contain {control}: {FormMarkup.Why}", line, column);
        }

        if (!LiquidTemplates.Shared.TryParse(template, out _, out var error))
        {
            return new FieldError(Field, $"is not valid Liquid: {error.Message}", error.Line, error.Column);
        }

        return Render(template, model, "") is TemplateRender.Failed failed ? new FieldError(Field, failed.Reason) : null;
    }

    /// <summary>The page's body: <paramref name="template"/> around <paramref name="content"/>, or why it cannot be used.</summary>
    public static TemplateRender Render(string template, PageTemplateModel model, string content)
    {
        if (!LiquidTemplates.Shared.TryParse(template, out var parsed, out var error))
        {
            return new TemplateRender.Failed($"is not valid Liquid: {error.Message}");
        }

        var marker = $"rulesmfa-content-{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}";
        string html;
        try
        {
            html = parsed.Render(Context(model, marker), HtmlEncoder.Default);
        }
        catch (InvalidOperationException bound)
        {
            return new TemplateRender.Failed($"breaks a rendering limit: {bound.Message}");
        }
        catch (Exception failure)
        {
            // A filter can fail on what it is given (a date, a number); the page then takes the default layout.
            return new TemplateRender.Failed($"failed to render: {failure.Message}");
        }

        var markers = Regex.Count(html, Regex.Escape(marker));
        if (markers != 1)
        {
            return new TemplateRender.Failed(markers == 0
                ? "must show the page's content once ({{ content }}); it shows it nowhere"
                : $"must show the page's content once ({{{{ content }}}}); it shows it {markers} times");
        }

        if (ScriptMarkup.Find(html) is var (what, _))
        {
            return new TemplateRender.Failed($"made {what}: the hosted pages run no script of a template");
        }

        if (FormMarkup.Find(html) is var (control, _))
        {
            return new TemplateRender.Failed($"made {control}: {FormMarkup.Why}");
        }

        return ContentPlacement.Problem(html, html.IndexOf(marker, StringComparison.Ordinal)) is { } where
            ? new TemplateRender.Failed($"must show the page's content ({{{{ content }}}}) between elements, not {where}")
            : new TemplateRender.Rendered(html.Replace(marker, content, StringComparison.Ordinal));
    }

    private static TemplateContext Context(PageTemplateModel model, string marker)
    {
        var context = new TemplateContext(Options, StringComparer.Ordinal);
        context.SetValue("tenant", new Dictionary<string, object>
        {
            ["name"] = model.TenantName, ["logo_url"] = model.LogoUrl ?? "", ["color"] = model.Color ?? "",
        });
        context.SetValue("content", StringValue.Create(marker, false));
        return context;
    }

    private static (int? Line, int? Column) PositionOf(string text, int index)
    {
        var before = text.AsSpan(0, index);
        var line = before.Count('\n') + 1;
        return (line, index - (before.LastIndexOf('\n') + 1) + 1);
    }
}
