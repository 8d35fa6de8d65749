namespace RulesMfa.Host.Branding;

/// <summary>What rendering a page template gave: the page's body, or why the default layout must be used instead.</summary>
public abstract record TemplateRender
{
    private TemplateRender()
    {
    }

    public sealed record Rendered(string Html) : TemplateRender;

    public sealed record Failed(string Reason) : TemplateRender;
}
