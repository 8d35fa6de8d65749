using RulesMfa.Host.Branding;
using RulesMfa.Host.Templating;

namespace RulesMfa.Tests.Templating;

public sealed class LiquidTemplatesTests
{
    [Test]
    public void TryParse_SameSourceTwice_ParsesOnceAndSharesTheTemplate()
    {
        var templates = new LiquidTemplates(maxTemplates: 4, maxBytes: 4096);

        templates.TryParse("<main>{{ content }}</main>", out var first, out _);
        templates.TryParse("<main>{{ content }}</main>", out var second, out _);

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.SameAs(first));
            Assert.That(templates.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void Render_TemplateSavedAnew_UsesTheNewTemplateAtOnce()
    {
        var model = new PageTemplateModel("Acme", null, null);
        _ = PageTemplates.Render("<main class=\"old\">{{ content }}</main>", model, "page");

        var render = PageTemplates.Render("<main class=\"new\">{{ content }}</main>", model, "page");

        Assert.That(render, Is.EqualTo(new TemplateRender.Rendered("<main class=\"new\">page</main>")));
    }

    [Test]
    public void TryParse_MoreTemplatesThanTheEntryBound_KeepsAtMostTheBound()
    {
        var templates = new LiquidTemplates(maxTemplates: 8, maxBytes: 8 * 1024);

        for (var i = 0; i < 20; i++)
        {
            Assert.That(templates.TryParse($"<p>{i}</p>{{{{ content }}}}", out _, out _), Is.True);
        }

        Assert.That(templates.Count, Is.InRange(1, 8), "a full cache makes room in the background, never past its bound");
    }

    [Test]
    public void TryParse_LargeTemplates_KeepsAtMostTheBytesBound()
    {
        // Each source is 2,000 characters (4,000 bytes): 16 KiB holds four of them, though the entry bound is 100.
        var templates = new LiquidTemplates(maxTemplates: 100, maxBytes: 16 * 1024);

        for (var i = 0; i < 10; i++)
        {
            Assert.That(templates.TryParse($"{i}".PadRight(2_000, '.'), out _, out _), Is.True);
        }

        Assert.That(templates.Count, Is.InRange(1, 4), "a full cache makes room in the background, never past its bound");
    }

    [Test]
    public void TryParse_InvalidSource_SaysWhereAndKeepsNothing()
    {
        var templates = new LiquidTemplates(maxTemplates: 4, maxBytes: 4096);

        var parsed = templates.TryParse("<p>\n{% if %}</p>", out _, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.False);
            Assert.That(error!.Line, Is.EqualTo(2));
            Assert.That(error.Message, Does.Not.Contain("\n"));
            Assert.That(templates.Count, Is.Zero);
        });
    }
}
