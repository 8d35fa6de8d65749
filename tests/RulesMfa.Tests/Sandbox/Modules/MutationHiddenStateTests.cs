using RulesMfa.Tests.Sandbox.Hostile;

namespace RulesMfa.Tests.Sandbox.Modules;

/// <summary>
/// What a reused engine watches because it can neither freeze nor restore it (issue 19, mutation testing of
/// engine/Sandbox/Modules): moment's global locale, compared after every login by prototype, extensibility and each
/// property's value and attributes; and the <c>Symbol.for</c> registry. A login that changes any of it, however
/// little, sees its change and gets its engine discarded; one that leaves it as it was keeps the engine.
/// </summary>
public sealed class MutationHiddenStateTests
{
    private const string Locale = "require('moment').localeData()";

    [TestCase($"Object.defineProperty({Locale}, '_abbr', {{ enumerable: false }});", $"Object.getOwnPropertyDescriptor({Locale}, '_abbr').enumerable", "false", "true")]
    [TestCase($"Object.defineProperty({Locale}, '_abbr', {{ writable: false }});", $"Object.getOwnPropertyDescriptor({Locale}, '_abbr').writable", "false", "true")]
    [TestCase($"Object.defineProperty({Locale}, '_abbr', {{ configurable: false }});", $"Object.getOwnPropertyDescriptor({Locale}, '_abbr').configurable", "false", "true")]
    [TestCase($"const l = {Locale}; const v = l._abbr; Object.defineProperty(l, '_abbr', {{ get: () => v }});", $"typeof Object.getOwnPropertyDescriptor({Locale}, '_abbr').get", "function", "undefined")]
    [TestCase($"const l = {Locale}; const v = l._abbr; Object.defineProperty(l, '_abbr', {{ get: () => v, set: () => {{ }} }}); Object.defineProperty(l, '_abbr', {{ set: undefined }});", $"typeof Object.getOwnPropertyDescriptor({Locale}, '_abbr').get", "function", "undefined")]
    [TestCase($"delete {Locale}._abbr;", $"'_abbr' in {Locale}", "false", "true")]
    [TestCase($"const l = {Locale}; const v = l._abbr; delete l._abbr; l._abbr = v;", $"Object.keys({Locale}).indexOf('_abbr') === Object.keys({Locale}).length - 1", "true", "false")]
    [TestCase($"Object.preventExtensions({Locale});", $"Object.isExtensible({Locale})", "false", "true")]
    [TestCase($"Object.setPrototypeOf({Locale}, Object.prototype);", $"Object.getPrototypeOf({Locale}) === Object.prototype", "true", "false")]
    [TestCase($"{Locale}._abbr = 'xx';", $"{Locale}._abbr", "xx", "en")]
    [TestCase($"{Locale}._extra = NaN;", $"{Locale}._extra", "NaN", "undefined")]
    public void WatchedLocaleChangedInAnyWay_IsSeenByItsLogin_AndItsEngineDiscarded(string attack, string probe, string attackerSees, string pristine)
    {
        PooledTenant.With(attack, probe).AssertContained($"done | {attackerSees}", pristine, prepared: 2);
    }

    [TestCase($"const l = {Locale}; l._abbr = l._abbr; l._months = l._months;")]
    [TestCase($"const l = {Locale}; l._added = 1; delete l._added;")]
    [TestCase($"const l = {Locale}; Object.defineProperty(l, '_abbr', Object.getOwnPropertyDescriptor(l, '_abbr'));")]
    public void WatchedLocaleLeftAsItWas_KeepsTheEngine(string attack)
    {
        PooledTenant.With(attack, $"{Locale}._abbr").AssertContained("done | en", "en", prepared: 1);
    }

    /// <summary>
    /// <c>Symbol.for</c>, replaced to mark its engine changed, still looks and works like the builtin; every login
    /// here calls it, so every login's engine is discarded.
    /// </summary>
    [Test]
    public void SymbolFor_StillWorksAsTheBuiltin()
    {
        const string probe = "[Object.keys(Symbol).length, Symbol.for.name, Symbol.for.length, Symbol.for('a') === Symbol.for('a'), Symbol.keyFor(Symbol.for('b'))].join()";

        PooledTenant.With("", probe).AssertContained("done | 0,for,1,true,b", "0,for,1,true,b", prepared: 3);
    }
}
