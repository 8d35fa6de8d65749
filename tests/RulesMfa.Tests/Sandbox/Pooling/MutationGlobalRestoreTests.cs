using RulesMfa.Tests.Sandbox.Hostile;

namespace RulesMfa.Tests.Sandbox.Pooling;

/// <summary>
/// Issue 19 (mutation testing of <c>PooledEngine.Restore</c>): each attribute of a global property changed on its own
/// is put back for the next login; a change that cannot be put back (a property made non-configurable, the global
/// object made non-extensible) has its engine discarded. On engines with and without frozen builtins, as
/// <see cref="GlobalRestoreLeakAttackTests"/>, whose cases change more than one thing at once.
/// </summary>
public sealed class MutationGlobalRestoreTests
{
    private const string Descriptor = "JSON.stringify(Object.getOwnPropertyDescriptor(globalThis, 'Math'), ['writable', 'enumerable', 'configurable'])";

    private const string Pristine = """{"writable":true,"enumerable":false,"configurable":true}""";

    [TestCase("Object.defineProperty(globalThis, 'Math', { enumerable: true });", """{"writable":true,"enumerable":true,"configurable":true}""", 1)]
    [TestCase("Object.defineProperty(globalThis, 'Math', { writable: false });", """{"writable":false,"enumerable":false,"configurable":true}""", 1)]
    [TestCase("Object.defineProperty(globalThis, 'Math', { configurable: false });", """{"writable":true,"enumerable":false,"configurable":false}""", 2)]
    public void GlobalPropertysAttributeChanged_IsPristineForTheNext(string attack, string attackerSees, int prepared)
    {
        foreach (var tenant in new[] { PooledTenant.WithoutModules(attack, Descriptor), PooledTenant.With(attack, Descriptor) })
        {
            tenant.AssertContained($"done | {attackerSees}", Pristine, prepared);
        }
    }

    [Test]
    public void GlobalObjectMadeNonExtensible_HasItsEngineDiscarded()
    {
        foreach (var tenant in new[] { PooledTenant.WithoutModules("Object.preventExtensions(globalThis);", "Object.isExtensible(globalThis)"),
            PooledTenant.With("Object.preventExtensions(globalThis);", "Object.isExtensible(globalThis)") })
        {
            tenant.AssertContained("done | false", "true", prepared: 2);
        }
    }

    [Test]
    public void GlobalObjectsPrototypeReplaced_HasItsEngineDiscarded()
    {
        const string Attack = "Object.setPrototypeOf(globalThis, { leak: user.email });";
        const string Probe = "typeof leak === 'undefined' ? 'none' : leak";

        foreach (var tenant in new[] { PooledTenant.WithoutModules(Attack, Probe), PooledTenant.With(Attack, Probe) })
        {
            tenant.AssertContained("done | mallory@example.com", "none", prepared: 2);
        }
    }

    /// <summary>No global of a prepared engine is an accessor, so the put-back compares data properties only (an accessor one is a change).</summary>
    [Test]
    public void PreparedGlobals_AreDataProperties()
    {
        const string Accessors = "Object.getOwnPropertyNames(globalThis).filter(name => Object.getOwnPropertyDescriptor(globalThis, name).get).join() || 'none'";

        Assert.Multiple(() =>
        {
            Assert.That(PooledTenant.WithoutModules("", Accessors).NextLogin(), Is.EqualTo("not run | none"));
            Assert.That(PooledTenant.With("", Accessors).NextLogin(), Is.EqualTo("not run | none"));
        });
    }

    /// <summary>Loading the modules runs their regular expressions; the statics they leave are emptied before the first login.</summary>
    [Test]
    public void RegExpStatics_AreEmptyForTheFirstLogin()
    {
        const string Statics = "JSON.stringify([RegExp.input, RegExp.lastMatch, RegExp.leftContext, RegExp.rightContext, RegExp.lastParen])";

        Assert.Multiple(() =>
        {
            Assert.That(PooledTenant.With("", Statics).NextLogin(), Is.EqualTo("""not run | ["","","","",""]"""), "frozen engine");
            Assert.That(PooledTenant.WithoutModules("", Statics).NextLogin(), Is.EqualTo("""not run | ["","","","",""]"""), "unfrozen engine");
        });
    }
}
