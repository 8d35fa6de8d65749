using Microsoft.AspNetCore.Http;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Tenants;

/// <summary>The tenant's branding for one request: read at most once, from the stored record.</summary>
public sealed class TenantBrandingTests
{
    private TestDatabase store = null!;

    [SetUp]
    public async Task CreateTenantsAsync()
    {
        store = await TestDatabase.CreateAsync();
        await using var setup = store.NewContext();
        setup.Tenants.Add(new TenantRecord { Id = "acme", DisplayName = "Acme Corp", LogoUrl = "https://acme.example/logo.png" });
        setup.Tenants.Add(new TenantRecord { Id = "globex", DisplayName = "Globex" });
        await setup.SaveChangesAsync();
    }

    [TearDown]
    public void DeleteDatabase() => store.Dispose();

    [Test]
    public async Task ForAsync_AskedTwiceInOneRequest_ReadsTheTenantOnce()
    {
        var commands = new CommandLog();
        await using var context = store.NewContext(commands);
        var branding = new TenantBranding(context);
        var http = RequestFor("acme");

        var first = await branding.ForAsync(http);
        var second = await branding.ForAsync(http);

        Assert.Multiple(() =>
        {
            Assert.That(commands.Reads("Tenants"), Is.EqualTo(1));
            Assert.That((first.Name, first.LogoUrl), Is.EqualTo(("Acme Corp", "https://acme.example/logo.png")));
            Assert.That(second, Is.EqualTo(first));
        });
    }

    [Test]
    public async Task ForAsync_AfterTheRecordWasRemembered_ReadsNothing()
    {
        var commands = new CommandLog();
        await using var context = store.NewContext(commands);
        var branding = new TenantBranding(context);
        var record = await context.Tenants.FindAsync("acme");
        var readsBefore = commands.Reads("Tenants");

        branding.Remember(record!);
        var brand = await branding.ForAsync(RequestFor("acme"));

        Assert.Multiple(() =>
        {
            Assert.That(commands.Reads("Tenants"), Is.EqualTo(readsBefore));
            Assert.That(brand.Name, Is.EqualTo("Acme Corp"));
        });
    }

    [Test]
    public async Task ForAsync_AnotherTenantThanRemembered_ReadsThatTenant()
    {
        await using var context = store.NewContext();
        var branding = new TenantBranding(context);
        branding.Remember((await context.Tenants.FindAsync("acme"))!);

        var brand = await branding.ForAsync(RequestFor("globex"));

        Assert.That(brand.Name, Is.EqualTo("Globex"));
    }

    private static DefaultHttpContext RequestFor(string tenant)
    {
        var http = new DefaultHttpContext();
        new TenantContext(tenant).AttachTo(http);
        return http;
    }
}
