using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Tests.Tenants;

public sealed class PipelineCacheTests
{
    private static readonly RuleSource Allow = RuleSource.Inline("r1", "function (u, c, cb) { cb(null, u, c); }");
    private const string Configuration = "CfDJ8-ciphertext-one";

    private static class Some
    {
        public static TenantPipeline Pipeline() => new(new RulePipeline([]), new TenantSettings(), SecretRedaction.None);
    }

    [Test]
    public void GetOrBuild_SameFingerprint_ReusesThePipeline()
    {
        var cache = new PipelineCache();
        var builds = 0;
        var fingerprint = PipelineCache.Fingerprint([Allow], Configuration, "{}");

        var first = cache.GetOrBuild("acme", fingerprint, () => { builds++; return Some.Pipeline(); });
        var second = cache.GetOrBuild("acme", fingerprint, () => { builds++; return Some.Pipeline(); });

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.SameAs(first));
            Assert.That(builds, Is.EqualTo(1));
        });
    }

    [Test]
    public void GetOrBuild_OtherTenantOrChangedFingerprint_BuildsAnother()
    {
        var cache = new PipelineCache();
        var fingerprint = PipelineCache.Fingerprint([Allow], Configuration, "{}");
        var acme = cache.GetOrBuild("acme", fingerprint, () => Some.Pipeline());

        var globex = cache.GetOrBuild("globex", fingerprint, () => Some.Pipeline());
        var changed = cache.GetOrBuild("acme", "another", () => Some.Pipeline());

        Assert.Multiple(() =>
        {
            Assert.That(globex, Is.Not.SameAs(acme));
            Assert.That(changed, Is.Not.SameAs(acme));
        });
    }

    [Test]
    public void Fingerprint_ChangesWithTheRulesTheConfigurationAndTheSettings()
    {
        var baseline = PipelineCache.Fingerprint([Allow], Configuration, "{}");

        var edited = PipelineCache.Fingerprint([Allow with { Text = Allow.Text + " " }], Configuration, "{}");
        var renamed = PipelineCache.Fingerprint([Allow with { Id = "r2" }], Configuration, "{}");
        var reconfigured = PipelineCache.Fingerprint([Allow], "CfDJ8-ciphertext-two", "{}");
        var resettled = PipelineCache.Fingerprint([Allow], Configuration, "{\"failMode\":\"requireMfa\"}");
        var again = PipelineCache.Fingerprint([Allow], "CfDJ8-ciphertext-one", "{}");

        Assert.Multiple(() =>
        {
            Assert.That(new[] { edited, renamed, reconfigured, resettled }, Has.None.EqualTo(baseline));
            Assert.That(again, Is.EqualTo(baseline));
        });
    }
}
