using RulesMfa.Engine.Compilation;

namespace RulesMfa.Tests.Compilation;

/// <summary>The parse cache is bounded in bytes, in all and per owner (a tenant), whatever is thrown at it.</summary>
public sealed class RuleCompilerCacheTests
{
    private const long TotalBytes = 12L << 20;
    private const long BytesPerOwner = 6L << 20;

    [Test]
    public void Compile_ManyDistinctLargeDrafts_KeepsTheCacheWithinItsBytes()
    {
        var compiler = new RuleCompiler(TotalBytes, BytesPerOwner);
        var owners = new[] { compiler.For("flood-a"), compiler.For("flood-b"), compiler.For("flood-c") };

        var peak = 0L;
        for (var draft = 0; draft < 30; draft++)
        {
            var owner = owners[draft % owners.Length];
            owner.Compile(LargeDraft(draft));
            peak = Math.Max(peak, compiler.CachedBytes);
            Assert.That(owner.CachedBytesOfOwner, Is.LessThanOrEqualTo(BytesPerOwner), $"owner's share after draft {draft}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(peak, Is.LessThanOrEqualTo(TotalBytes), "the cache in all");
            Assert.That(compiler.CachedBytes, Is.GreaterThan(BytesPerOwner), "it still caches: every owner has drafts in it");
        });
    }

    [Test]
    public void Compile_OneOwnersFlood_LeavesAnotherOwnersScriptsCached()
    {
        var compiler = new RuleCompiler(TotalBytes, BytesPerOwner);
        var quiet = compiler.For("quiet");
        var rule = quiet.Compile(RuleSource.Inline("allow", "function (user, context, callback) { callback(null, user, context); }"));
        var quietBytes = quiet.CachedBytesOfOwner;

        var flood = compiler.For("flood");
        for (var draft = 0; draft < 20; draft++)
        {
            flood.Compile(LargeDraft(draft));
        }

        Assert.Multiple(() =>
        {
            Assert.That(quietBytes, Is.GreaterThan(0));
            Assert.That(quiet.CachedBytesOfOwner, Is.EqualTo(quietBytes), "the flood evicted only its own drafts");
            Assert.That(quiet.Compile(RuleSource.Inline("allow", "function (user, context, callback) { callback(null, user, context); }")).Script.Program,
                Is.SameAs(rule.Script.Program), "served from the cache, not parsed again");
        });
    }

    [Test]
    public void Compile_ScriptLargerThanAnOwnersShare_IsCompiledButNotKept()
    {
        var compiler = new RuleCompiler(TotalBytes, BytesPerOwner);

        var rule = compiler.For("acme").Compile(LargeDraft(0, elements: 60_000));

        Assert.Multiple(() =>
        {
            Assert.That(rule.Name, Is.EqualTo("draft"));
            Assert.That(compiler.CachedBytes, Is.Zero);
        });
    }

    /// <summary>A distinct rule of about <paramref name="elements"/> × 3 characters that parses into one node per element.</summary>
    private static RuleSource LargeDraft(int seed, int elements = 10_000) => RuleSource.Inline("draft",
        $"function draft(user, context, callback) {{ var unused = [{seed}{string.Concat(Enumerable.Repeat(",0", elements))}]; callback(null, user, context); }}");
}
