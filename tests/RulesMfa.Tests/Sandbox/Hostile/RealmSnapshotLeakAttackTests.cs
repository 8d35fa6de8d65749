namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// Issue 17: every rule set runs on reused engines, and a rule set without modules gets engines whose builtins are not
/// frozen, so a rule's change to them takes effect in its own login as on a fresh engine. Each case shows the change in
/// the attacker's login, then that the next logins see the realm as prepared because the attacker's engine was
/// discarded (the pool prepared a second one). The cases cover each way Jint changes an object: a property added
/// (shape version), a value assigned or a property redefined in place (descriptor), a symbol-keyed property added or
/// replaced (which Jint's version does not count), array elements, prototype and extensibility.
/// </summary>
[Category("Hostile")]
public sealed class RealmSnapshotLeakAttackTests
{
    [TestCase("Math.max.leak = user.email;", "Math.max.leak", "mallory@example.com", "undefined")]
    [TestCase("Object.defineProperty(Math.max, 'name', { value: user.email });", "Math.max.name", "mallory@example.com", "max")]
    [TestCase("Object.defineProperty(Array.prototype, 'map', { enumerable: true });", "Object.keys(Array.prototype).join()", "map", "")]
    [TestCase("Array.prototype[Symbol.iterator] = function* () { yield user.email; };", "[...[1]].join()", "mallory@example.com", "1")]
    [TestCase("Math[Symbol.iterator] = function* () { yield user.email; };", "typeof Math[Symbol.iterator]", "function", "undefined")]
    [TestCase("Object.defineProperty(Array.prototype, Symbol.unscopables, { get: () => user.email });",
        "typeof Object.getOwnPropertyDescriptor(Array.prototype, Symbol.unscopables).get", "function", "undefined")]
    [TestCase("Array.prototype[0] = user.email;", "[][0]", "mallory@example.com", "undefined")]
    [TestCase("Object.getPrototypeOf([][Symbol.iterator]()).leak = user.email;", "[][Symbol.iterator]().leak", "mallory@example.com", "undefined")]
    [TestCase("Object.setPrototypeOf(Math, { leak: user.email });", "Math.leak", "mallory@example.com", "undefined")]
    [TestCase("Object.preventExtensions(JSON);", "Object.isExtensible(JSON)", "false", "true")]
    [TestCase("UnauthorizedError.prototype.leak = user.email;", "new UnauthorizedError('x').leak", "mallory@example.com", "undefined")]
    [TestCase("Buffer.leak = user.email;", "Buffer.leak", "mallory@example.com", "undefined")]
    public void BuiltinChangedByOneLogin_TakesEffectThereAndIsPristineForTheNext(string attack, string probe, string attackerSees, string pristine)
    {
        PooledTenant.WithoutModules(attack, probe).AssertContained($"done | {attackerSees}", pristine, prepared: 2);
    }

    /// <summary>
    /// Issue 17: <c>console</c>, <c>auth0</c> and the rule's own function (with its <c>prototype</c>) are built once per
    /// engine and shared by its logins, so a change to them is recorded like a builtin's: seen in the attacker's login,
    /// and its engine discarded.
    /// </summary>
    [TestCase("console.leak = user.email;", "console.leak", "mallory@example.com", "undefined")]
    [TestCase("console.log = () => user.email;", "console.log()", "mallory@example.com", "undefined")]
    [TestCase("auth0.users.leak = user.email;", "auth0.users.leak", "mallory@example.com", "undefined")]
    [TestCase("Object.defineProperty(auth0, 'domain', { value: user.email });", "auth0.domain", "mallory@example.com", "localhost")]
    [TestCase("pooled.leak = user.email;", "pooled.leak", "mallory@example.com", "undefined")]
    [TestCase("pooled.prototype.leak = user.email;", "pooled.prototype.leak", "mallory@example.com", "undefined")]
    [TestCase("Object.defineProperty(pooled, 'name', { value: user.email });", "pooled.name", "mallory@example.com", "pooled")]
    public void SharedGlobalOrRuleFunctionChangedByOneLogin_TakesEffectThereAndIsPristineForTheNext(string attack, string probe, string attackerSees, string pristine)
    {
        PooledTenant.WithoutModules(attack, probe).AssertContained($"done | {attackerSees}", pristine, prepared: 2);
    }

    /// <summary><c>RegExp.$1</c>, <c>input</c>, <c>lastMatch</c>... hold the last subject matched; emptied after every login on an unfrozen engine too.</summary>
    [Test]
    public void RegExpStatics_OfOneLogin_AreEmptyForTheNext()
    {
        var tenant = PooledTenant.WithoutModules("/(\\w+)@/.exec(user.email);",
            "JSON.stringify([RegExp.$1, RegExp.input, RegExp.lastMatch, RegExp.leftContext, RegExp.rightContext, RegExp.lastParen])");

        tenant.AssertContained("""done | ["mallory","mallory@example.com","mallory@","","example.com","mallory"]""", """["","","","","",""]""", prepared: 1);
    }

    [Test]
    public void LoginsThatChangeNothing_KeepTheirEngine()
    {
        var tenant = PooledTenant.WithoutModules("", "[Math.max(1, 2), [3, 1, 2].sort().join(), JSON.stringify({ a: /b/.test('b') })].join(' ')");

        var logins = Enumerable.Range(0, 50).Select(_ => tenant.NextLogin()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(logins, Is.All.EqualTo("not run | 2 1,2,3 {\"a\":true}"));
            Assert.That(tenant.Prepared, Is.EqualTo(1), "fifty logins that change nothing reused one engine");
        });
    }

    /// <summary>Attackers and normal users of one tenant log in at once (behind a barrier); no normal login sees a change.</summary>
    [Test]
    public void ParallelLoginsOfOneTenant_NeverSeeAnAttackersChanges()
    {
        const int Threads = 6;
        const int LoginsPerThread = 8;
        var tenant = PooledTenant.WithoutModules(
            "Object.prototype.leak = user.email; Math.max.leak = user.email; Array.prototype[Symbol.iterator] = function* () { yield user.email; };",
            "JSON.stringify([({}).leak, Math.max.leak, [...[1]][0]])");
        var results = tenant.ParallelLogins(Threads, LoginsPerThread);

        Assert.Multiple(() =>
        {
            Assert.That(results.Where(result => result.Attacker).Select(result => result.Seen),
                Is.All.EqualTo("""done | ["mallory@example.com","mallory@example.com","mallory@example.com"]"""));
            Assert.That(results.Where(result => !result.Attacker).Select(result => result.Seen), Is.All.EqualTo("""not run | [null,null,1]"""));
        });
    }
}
