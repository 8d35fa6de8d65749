using Jint.Native.Object;
using RulesMfa.Engine.Sandbox.Modules;
using RulesMfa.Tests.Sandbox.Hostile;

namespace RulesMfa.Tests.Sandbox.Modules;

/// <summary>
/// What a reused engine's discard rests on for the objects it watches (issue 19, session 8, the survivors of
/// <c>HiddenState.cs</c>): an accessor compared by its getter, its setter and its kind, and an object skipped as
/// frozen only when it is. No object a pooled engine watches today has an accessor or is non-extensible when it is
/// prepared (the 108 of the lodash and moment tenant are plain data), so a login cannot reach these cases; a package
/// added to engine/modules whose watched singleton has one would. So they are checked on <see cref="HiddenState"/>
/// itself, in a real engine: an object as prepared, then a login's change to it, which must count as a change.
/// </summary>
public sealed class MutationWatchedStateTests
{
    // Function.prototype and Object.prototype frozen, so that the walk ends there and watches only the object and its functions.
    private const string FrozenRealm = "Object.freeze(Object.prototype); Object.freeze(Function.prototype);";

    [TestCase("Object.defineProperty(o, 'a', { get: () => 1, enumerable: true, configurable: true });",
        "Object.defineProperty(o, 'a', { get: () => 2 });", TestName = "{m}(getter replaced)")]
    [TestCase("Object.defineProperty(o, 'a', { get: () => 1, set: (v) => { }, enumerable: true, configurable: true });",
        "Object.defineProperty(o, 'a', { set: (v) => { } });", TestName = "{m}(setter replaced)")]
    [TestCase("Object.defineProperty(o, 'a', { get: () => 1, enumerable: true, configurable: true });",
        "Object.defineProperty(o, 'a', { set: (v) => { } });", TestName = "{m}(setter added)")]
    [TestCase("Object.defineProperty(o, 'a', { value: f, writable: false, enumerable: true, configurable: true });",
        "Object.defineProperty(o, 'a', { get: f });", TestName = "{m}(read-only value made a getter returning it)")]
    [TestCase("o.a = 1; Object.seal(o);", "o.a = 2;", TestName = "{m}(sealed object's value changed)")]
    [TestCase("Object.defineProperty(o, 'a', { value: 1, configurable: true }); Object.preventExtensions(o);",
        "delete o.a;", TestName = "{m}(non-extensible object's configurable property deleted)")]
    [TestCase("Object.defineProperty(o, 'a', { value: 1 });", "o.b = 2;", TestName = "{m}(extensible object of read-only properties extended)")]
    [TestCase("", "o.b = 2;", TestName = "{m}(empty object extended)")]
    [TestCase("o.a = 1;", "delete o.a; o.b = 1;", TestName = "{m}(property renamed)")]
    public void WatchedObjectChangedByALogin_CountsAsChanged(string prepared, string login)
    {
        Assert.That(ChangedSincePrepared(prepared, login), Is.True);
    }

    [TestCase("Object.defineProperty(o, 'a', { get: () => 1, set: (v) => { }, enumerable: true, configurable: true });", "o.a = 5; o.a;")]
    [TestCase("o.a = 1; Object.seal(o);", "o.a = 1;")]
    [TestCase("o.a = 1; Object.freeze(o);", "try { o.a = 2; } catch (e) { }")]
    public void WatchedObjectLeftAsItWas_IsUnchanged(string prepared, string login)
    {
        Assert.That(ChangedSincePrepared(prepared, login), Is.False);
    }

    /// <summary>
    /// <c>Symbol.for</c>, replaced to watch the symbol registry, keeps Node's attributes where the builtins are not
    /// frozen (a rule set that requires no module): writable and configurable, not enumerable.
    /// </summary>
    [Test]
    public void SymbolFor_OfAnEngineWithoutModules_HasNodesAttributes()
    {
        const string probe = "JSON.stringify(Object.getOwnPropertyDescriptor(Symbol, 'for'), ['writable', 'enumerable', 'configurable'])";
        const string node = """{"writable":true,"enumerable":false,"configurable":true}""";

        PooledTenant.WithoutModules("", probe).AssertContained($"done | {node}", node, prepared: 1);
    }

    private static bool ChangedSincePrepared(string prepared, string login)
    {
        using var engine = new Jint.Engine();
        engine.Execute($"{FrozenRealm} var f = () => 1; var o = Object.create(null); {prepared}");
        var state = HiddenState.For(engine);
        state.Watch([(ObjectInstance)engine.Global.Get("o")]);
        Assert.That(state.ChangedSincePrepared, Is.False, "as prepared");
        engine.Execute(login);
        return state.ChangedSincePrepared;
    }
}
