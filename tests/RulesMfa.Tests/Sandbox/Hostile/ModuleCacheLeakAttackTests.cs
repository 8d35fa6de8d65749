namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// Finding 4 of issue 11: a module required by a name the rule set does not spell out (computed, versioned with a
/// path, or at run time in a function or a promise) was loaded into the reused engine unfrozen and cached there,
/// so what one login wrote on it was read by the next login of the tenant. Such a module is now either loaded
/// (and frozen) when the engine is prepared, or its engine is discarded after the login that loaded it.
/// </summary>
[Category("Hostile")]
public sealed class ModuleCacheLeakAttackTests
{
    private const string Frozen = "TypeError: Cannot assign to read only property";

    [TestCase("const m = require(['lodash', 'get'].join('/')); m.lastUser = user.email;", "require(['lodash', 'get'].join('/')).lastUser")]
    [TestCase("require('lodash@4.17.21/' + 'set').lastUser = user.email;", "require('lodash@4.17.21/' + 'set').lastUser")]
    [TestCase("const load = name => require(name); load('lodash/' + 'has').lastUser = user.email;", "(name => require(name))('lodash/' + 'has').lastUser")]
    [TestCase("return Promise.resolve('lodash/unset').then(name => { require(name).lastUser = user.email; });", "require(['lodash', 'unset'].join('/')).lastUser")]
    [TestCase("require(['buf', 'fer'].join('')).lastUser = user.email;", "require(['buf', 'fer'].join('')).lastUser")]
    public void ModuleLoadedDuringALogin_IsNotSeenByTheNextLogin(string attack, string probe)
    {
        PooledTenant.With(attack, probe).AssertContained("done | mallory@example.com", "undefined", prepared: 2);
    }

    [Test]
    public void ModuleRequiredByAComputedName_IsLoadedFrozenByTheNextEngine()
    {
        var tenant = PooledTenant.With("require(['lodash', 'get'].join('/')).lastUser = user.email;", "require(['lodash', 'get'].join('/')).lastUser");

        var first = tenant.AttackerLogin();
        var second = tenant.AttackerLogin();
        var next = tenant.NextLogin();

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("done | mallory@example.com"), "the engine that loaded it during the login");
            Assert.That(second, Is.EqualTo($"{Frozen} 'lastUser' of Object | undefined"), "the next engine loaded and froze it when prepared");
            Assert.That(next, Is.EqualTo("not run | undefined"));
            Assert.That(tenant.Prepared, Is.EqualTo(2), "the second engine served the second and third logins");
        });
    }

    /// <summary>
    /// lodash's <c>memoize.Cache</c> is the cache class of every memoized function, so replacing it would hand the
    /// keys of later logins to the attacker's class: the modular build's copy, required by a computed name, and the
    /// main build's, frozen with its exports.
    /// </summary>
    [TestCase("require(['lodash', 'memoize'].join('/')).Cache = function Spy() {};", "require(['lodash', 'memoize'].join('/')).Cache.name", "done | Spy", "MapCache", 2)]
    [TestCase("require('lodash').memoize.Cache = function Spy() {};", "require('lodash').memoize.Cache.name", $"{Frozen} 'Cache' of Object | MapCache", "MapCache", 1)]
    [TestCase("require.cache = { stolen: user.email };", "typeof require.cache", $"{Frozen} 'cache' of Object | undefined", "undefined", 1)]
    public void ModuleCacheReplacedByOneLogin_IsPristineForTheNext(string attack, string probe, string attackerSees, string pristine, int prepared)
    {
        PooledTenant.With(attack, probe).AssertContained(attackerSees, pristine, prepared);
    }
}
