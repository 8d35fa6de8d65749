using RulesMfa.Tests.Sandbox.Hostile;

namespace RulesMfa.Tests.Sandbox.Modules;

/// <summary>
/// The deep freeze of a reused engine (issue 19, mutation testing of engine/Sandbox/Modules): it reaches the
/// functions behind accessors and symbol-keyed properties, refuses an assignment to a prototype's overridable method
/// with its own message, and still lets code override those methods on its own objects as in Node.
/// </summary>
public sealed class MutationHardeningTests
{
    private const string Frozen = "TypeError: Cannot assign to read only property";

    [TestCase("Object.prototype.toString = () => user.email;", "({}).toString()", $"{Frozen} 'toString' of a frozen object", "[object Object]")]
    [TestCase("Error.prototype.name = user.email;", "new Error('m').toString()", $"{Frozen} 'name' of a frozen object", "Error: m")]
    [TestCase("Array.prototype.constructor = function Stolen() {};", "[].constructor.name", $"{Frozen} 'constructor' of a frozen object", "Array")]
    [TestCase("Date.prototype.toJSON = () => user.email;", "JSON.stringify(new Date(0))", $"{Frozen} 'toJSON' of a frozen object", "\"1970-01-01T00:00:00.000Z\"")]
    public void OverridableMethodAssignedOnItsPrototype_IsRefused(string attack, string probe, string refusal, string pristine)
    {
        PooledTenant.With(attack, probe).AssertContained($"{refusal} | {pristine}", pristine, prepared: 1);
    }

    /// <summary>The functions behind accessors (<c>__proto__</c>'s getter) and behind symbol keys (<c>Symbol.iterator</c>) are frozen too.</summary>
    [TestCase("Object.getOwnPropertyDescriptor(Object.prototype, '__proto__').get.leak = user.email;", "Object.getOwnPropertyDescriptor(Object.prototype, '__proto__').get.leak")]
    [TestCase("Object.getOwnPropertyDescriptor(Object.prototype, '__proto__').set.leak = user.email;", "Object.getOwnPropertyDescriptor(Object.prototype, '__proto__').set.leak")]
    [TestCase("Array.prototype[Symbol.iterator].leak = user.email;", "Array.prototype[Symbol.iterator].leak")]
    [TestCase("require('lodash').get.leak = user.email;", "require('lodash').get.leak")]
    public void FunctionReachedThroughAnAccessorOrASymbol_IsFrozen(string attack, string probe)
    {
        PooledTenant.With(attack, probe).AssertContained($"{Frozen} 'leak' of Object | undefined", "undefined", prepared: 1);
    }

    /// <summary>
    /// Assigned on an instance, an overridable method or name becomes the instance's own ordinary property (writable,
    /// enumerable, configurable, as an assignment makes it in Node), which can be assigned again and deleted.
    /// </summary>
    [Test]
    public void OverridableMethodAssignedOnAnInstance_IsItsOwnOrdinaryProperty()
    {
        const string probe =
            """
            (() => {
              const e = new Error('m'); e.name = 'Custom';
              const o = {}; o.toString = () => 'first'; const first = String(o); o.toString = () => 'second';
              const d = Object.getOwnPropertyDescriptor(o, 'toString');
              const second = String(o); delete o.toString;
              const prototype = Object.getOwnPropertyDescriptor(Error.prototype, 'name');
              return [e.toString(), Object.keys(e).join(), first, second, String(o), d.writable, d.enumerable, d.configurable,
                typeof prototype.get, prototype.enumerable, prototype.configurable, Error.prototype.name].join();
            })()
            """;

        PooledTenant.With("", probe).AssertContained(
            "done | Custom: m,name,first,second,[object Object],true,true,true,function,false,false,Error",
            "Custom: m,name,first,second,[object Object],true,true,true,function,false,false,Error", prepared: 1);
    }

    [Test]
    public void RegExpCompile_OfARuleOwnRegExp_StillRecompilesIt()
    {
        const string probe = "(() => { const r = /a/g; r.lastIndex = 1; const same = r.compile('b', 'i') === r; return [same, r.source, r.flags, r.lastIndex, r.test('B'), RegExp.prototype.compile.name].join(); })()";

        PooledTenant.With("", probe).AssertContained("done | true,b,i,0,true,compile", "true,b,i,0,true,compile", prepared: 1);
    }
}
