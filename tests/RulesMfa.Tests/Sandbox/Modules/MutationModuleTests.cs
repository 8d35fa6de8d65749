using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Sandbox.Hostile;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Modules;

/// <summary>
/// <c>require</c> at its edges (issue 19, mutation testing of engine/Sandbox/Modules): the names it refuses, how
/// it resolves files inside the installed packages, its cache, and the module functions whose hidden state makes a
/// login's engine unfit for the next login.
/// </summary>
public sealed class MutationModuleTests
{
    private const string AssertNotAvailable = "module 'assert' is not available in rules";

    private static readonly RulePipelineSettings Generous = new() { Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) } };

    private static string Claim(string expression)
    {
        var decision = Some.Decision(Some.Login(), Generous,
            $$"""
            function (user, context, callback) {
              context.idToken['https://x/v'] = (() => { try { return {{expression}}; } catch (e) { return [e.name, e.message]; } })();
              callback(null, user, context);
            }
            """);
        Assert.That(decision.Error, Is.Null, () => $"the rule failed: {decision.Error} {string.Join("; ", decision.Logs.Select(log => log.Message))}");
        return decision.IdTokenClaims["https://x/v"]!.ToJsonString();
    }

    [TestCase("require()")]
    [TestCase("require(42)")]
    [TestCase("require({ toString: () => 'lodash' })")]
    public void Require_OfNoString_IsATypeError(string call)
    {
        Assert.That(Claim(call), Is.EqualTo("""["TypeError","require needs a module name as a string"]"""));
    }

    /// <summary>Installed only as a dependency of an allowed package, empty, scoped without a name, a path with a back slash or an empty segment, or a built-in's path.</summary>
    [TestCase("punycode")]
    [TestCase("")]
    [TestCase("@scope")]
    [TestCase("@scope/lodash")]
    [TestCase("lodash/")]
    [TestCase("lodash\\\\get")]
    [TestCase("/lodash")]
    [TestCase(".lodash")]
    [TestCase("lodash/missing")]
    [TestCase("crypto/x")]
    [TestCase("@lodash")]
    [TestCase("lodash/../punycode")]
    [TestCase("ipaddr.js/lib")]
    public void Require_NameThatIsNoAllowedModule_IsRefusedNamingIt(string name)
    {
        var expected = System.Text.Json.JsonSerializer.Serialize(new[] { "Error", $"module '{name.Replace("\\\\", "\\")}' is not available in rules" });

        Assert.That(Claim($"require('{name}')"), Is.EqualTo(expected));
    }

    [TestCase("require('lodash') === require('lodash')")]
    [TestCase("require('lodash/get') === require('lodash/get.js')")]
    [TestCase("require('lodash@4.17.21') === require('lodash')")]
    [TestCase("require('lodash@1.0.0/get') === require('lodash/get')")]
    [TestCase("require('uuid/dist') === require('uuid')")]
    [TestCase("require('uuid/dist/index') === require('uuid')")]
    [TestCase("require('crypto') === require('crypto')")]
    [TestCase("require('buffer') === require('buffer') && require('buffer').Buffer === Buffer")]
    [TestCase("require('moment/package.json') === require('moment/package.json')")]
    [TestCase("uuid === require('uuid')")]
    [TestCase("require('crypto@1.0.0') === require('crypto')")]
    public void Require_SameFileByAnyName_IsOneModule(string expression)
    {
        Assert.That(Claim(expression), Is.EqualTo("true"));
    }

    [TestCase("require('moment/package.json').version", "\"2.30.1\"")]
    [TestCase("require('lodash/package.json').main", "\"lodash.js\"")]
    [TestCase("require('ipaddr.js').isValid('10.0.0.1')", "true")]
    [TestCase("require('url').parse('https://b\u00fccher.example/?q=1', true).hostname", "\"xn--bcher-kva.example\"")]
    [TestCase("require('url').parse('https://x/?a=1&a=2', true).query.a", "[\"1\",\"2\"]")]
    [TestCase("Object.keys(require('buffer'))", "[\"Buffer\"]")]
    [TestCase("[require('lodash/package').name, typeof require('moment/package')]", "[\"lodash\",\"object\"]")]
    [TestCase("[require('url').format({ protocol: 'https', host: 'x', query: { a: [], b: 1 } }), require('querystring').stringify({ a: [], b: 1 })]", "[\"https://x?\\u0026b=1\",\"b=1\"]")]
    /// <remarks>
    /// url 0.11.0 has its own querystring (0.2.0, in url/node_modules), which joins an empty array's empty part where
    /// the allowed querystring 0.2.1 drops it: as in Node, url's require finds its own copy first.
    /// </remarks>
    public void Require_ResolvesMainFilesJsonAndTheDependenciesOfAPackage(string expression, string expected)
    {
        Assert.That(Claim(expression), Is.EqualTo(expected));
    }

    /// <summary>
    /// A bare name a module requires is looked up in the node_modules folders above it, inside the installed folder
    /// only: uuid's command-line file requires Node's <c>assert</c>, which is nowhere there.
    /// </summary>
    [Test]
    public void ModuleRequiringANameInstalledNowhere_GetsTheRulesError()
    {
        Assert.That(Claim("require('uuid/dist/uuid-bin')"), Is.EqualTo(System.Text.Json.JsonSerializer.Serialize(new[] { "Error", AssertNotAvailable })));
    }

    /// <summary>As in Node, a module that threw while loading is not cached: requiring it again throws again.</summary>
    [Test]
    public void ModuleThatThrewWhileLoading_ThrowsAgainWhenRequiredAgain()
    {
        Assert.That(Claim("[0, 1].map(() => { try { require(['uuid', 'dist', 'uuid-bin'].join('/')); return 'loaded'; } catch (e) { return e.message; } })"),
            Is.EqualTo(System.Text.Json.JsonSerializer.Serialize(new[] { AssertNotAvailable, AssertNotAvailable })));
    }

    /// <summary>Module files run in sloppy mode, as in Node: lodash's <c>noConflict</c> called without a receiver returns the global object.</summary>
    [Test]
    public void ModuleCode_RunsInSloppyMode_AsInNode()
    {
        Assert.That(Claim("require('lodash').noConflict.call(undefined) === globalThis"), Is.EqualTo("true"));
    }

    [Test]
    public void Require_IsNamedAsInNode()
    {
        Assert.That(Claim("[require.name, require.length]"), Is.EqualTo("""["require",1]"""));
    }

    /// <summary>The built-in modules' exports are frozen with the packages': a login cannot change what the next one requires.</summary>
    [TestCase("crypto", "createHash")]
    [TestCase("buffer", "Buffer")]
    public void BuiltinModuleChangedByALogin_IsRefused_AndTheNextLoginSeesItAsLoaded(string module, string export)
    {
        PooledTenant.With($"require('{module}').{export} = null;", $"typeof require('{module}').{export}")
            .AssertContained($"TypeError: Cannot assign to read only property '{export}' of Object | function", "function", prepared: 1);
    }

    /// <summary>
    /// A rule set that reaches modules only through the <c>uuid</c> global, or only through a <c>require</c> of a
    /// computed name, gets its builtins frozen from its first login; uuid is loaded when the engine is prepared, so
    /// its logins share one engine, while the computed require's module gets that engine discarded and is loaded by the next.
    /// </summary>
    [TestCase("[uuid.v4().length, Object.isFrozen(Array.prototype)]", "36,true", 1)]
    [TestCase("[typeof require(['lo', 'dash'].join('')).map, Object.isFrozen(Array.prototype)]", "function,true", 2)]
    public void RuleSetReachingModulesWithoutALiteralRequire_IsFrozenFromItsFirstLogin(string probe, string seen, int prepared)
    {
        PooledTenant.WithoutModules("", probe).AssertContained($"done | {seen}", seen, prepared);
    }

    /// <summary>
    /// Only a require that loads something new is learned for the next engine (16 names at most): requiring aliases of
    /// loaded modules cannot fill the list, so the module a login loaded late is loaded by the next engine, which serves the later logins.
    /// </summary>
    [Test]
    public void RequireOfAnAlreadyLoadedModule_IsNotLearned()
    {
        PooledTenant.With("for (let i = 0; i < 16; i++) { require('lodash@' + i); }", "require(['ipaddr', 'js'].join('.')).isValid('10.0.0.1')")
            .AssertContained("done | true", "true", prepared: 2);
    }

    /// <summary>
    /// The module functions that change state in their module's closures keep working and keep their length; called
    /// so that they only read, they leave their engine fit for the next login (one engine for the three logins).
    /// </summary>
    [TestCase("require('moment').locale()", "en")]
    [TestCase("require('moment').relativeTimeThreshold('s')", "45")]
    [TestCase("typeof require('moment').relativeTimeRounding()", "function")]
    [TestCase("require('uuid').v4().length", "36")]
    [TestCase("[require('moment').locale.length, require('moment').relativeTimeThreshold.length, require('lodash').uniqueId.length, require('uuid').v1.length]", "2,2,1,3")]
    public void StateChangingModuleFunction_CalledToRead_KeepsTheEngine(string probe, string pristine)
    {
        PooledTenant.With($"globalThis.read = {probe};", probe).AssertContained($"done | {pristine}", pristine, prepared: 1);
    }

    /// <summary>
    /// Called with enough arguments to change the module's hidden state, each of them takes effect in the attacker's
    /// login and gets its engine discarded: the next logins see the state as loaded.
    /// </summary>
    [TestCase("require('moment').relativeTimeThreshold('s', 5);", "require('moment').relativeTimeThreshold('s')", "5", "45")]
    [TestCase("require('moment').relativeTimeRounding(() => 50);", "require('moment').duration(1000).humanize()", "50 years", "a few seconds")]
    [TestCase("require('moment').defineLocale('evil', { months: Array(12).fill('Stolen') });", "require('moment')([2020, 0, 1]).format('MMMM')", "Stolen", "January")]
    [TestCase("try { require('moment').updateLocale('en', {}); } catch (e) { }", "require('moment').locale()", "en", "en")]
    public void StateChangingModuleFunction_CalledToChange_HasItsEngineDiscarded(string attack, string probe, string attackerSees, string pristine)
    {
        PooledTenant.With(attack, probe).AssertContained($"done | {attackerSees}", pristine, prepared: 2);
    }

    /// <summary>
    /// lodash's <c>uniqueId</c> (its main build's and its modular one's) keep a counter, uuid's <c>v1</c> the time and
    /// sequence of the last id (the rule's clock is fixed here, so the first 8 digits count the ids made in its
    /// millisecond). The probe of every login here calls it, so every login's engine is discarded and each starts
    /// from a fresh module: a login calling it never moves the next login's ids.
    /// </summary>
    [TestCase("require('lodash').uniqueId();", "require('lodash').uniqueId('id')", "id2", "id1")]
    [TestCase("require('lodash/uniqueId')('x');", "require('lodash/uniqueId')('id')", "id2", "id1")]
    [TestCase("require('lodash/core').uniqueId();", "require('lodash/core').uniqueId('id')", "id2", "id1")]
    [TestCase("require('lodash/lodash.min').uniqueId();", "require('lodash/lodash.min').uniqueId('id')", "id2", "id1")]
    [TestCase("require('lodash/core.min').uniqueId();", "require('lodash/core.min').uniqueId('id')", "id2", "id1")]
    [TestCase("require('uuid').v1();", "require('uuid').v1().slice(0, 8)", "2ad00401", "2ad00400")]
    public void IdGenerator_CalledByEveryLogin_StartsAfreshInEach(string attack, string probe, string attackerSees, string pristine)
    {
        PooledTenant.With(attack, probe).AssertContained($"done | {attackerSees}", pristine, prepared: 3);
    }
}
