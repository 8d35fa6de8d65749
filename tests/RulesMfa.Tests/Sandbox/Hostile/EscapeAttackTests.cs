using RulesMfa.Engine.Decisions;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>Rules that try to leave the sandbox: compile code from strings, reach .NET, the file system or the process, block the thread, or rewrite configuration.</summary>
[Category("Hostile")]
public sealed class EscapeAttackTests
{
    private static readonly Stop StringCompilationDisabled = Stop.Thrown("String compilation has been disabled");

    [Test]
    public void ConstructorChainToTheGlobalObject_IsAnError()
    {
        var attack = HostileAttack.Rule("const g = ({}).constructor.constructor('return this')(); g.process.exit(1);");

        attack.AssertContained(StringCompilationDisabled);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ConstructorChainThroughTheCallback_IsAnError()
    {
        var attack = HostileAttack.Rule("callback.constructor('return this')().System.IO.File.ReadAllText('/etc/passwd');");

        attack.AssertContained(StringCompilationDisabled);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void AsyncFunctionConstructorFromAString_IsAnError()
    {
        var attack = HostileAttack.Rule("(async function () {}).constructor('return 1')();");

        attack.AssertContained(StringCompilationDisabled);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void GetTypeOnAnInput_IsAnError()
    {
        var attack = HostileAttack.Rule("context.idToken['https://example.com/clr'] = user.GetType().Assembly.Location;");

        attack.AssertContained(Stop.Thrown("Property 'GetType' of object is not a function"));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ImportNamespace_IsAnError()
    {
        var attack = HostileAttack.Rule("const io = importNamespace('System.IO'); io.File.WriteAllText('/tmp/pwned', 'x');");

        attack.AssertContained(Stop.Thrown("importNamespace is not defined"));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void SystemNamespace_IsAnError()
    {
        var attack = HostileAttack.Rule("System.Environment.Exit(1);");

        attack.AssertContained(Stop.Thrown("System is not defined"));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void Eval_IsAnError()
    {
        var attack = HostileAttack.Rule("eval('context.multifactor = false');");

        attack.AssertContained(StringCompilationDisabled);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void FunctionFromAString_IsAnError()
    {
        var attack = HostileAttack.Rule("new Function('user', 'return user')(user);");

        attack.AssertContained(StringCompilationDisabled);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void AtomicsWait_IsATypeErrorNotABlockedThread()
    {
        var attack = HostileAttack.Rule("Atomics.wait(new Int32Array(4), 0, 0);");

        attack.AssertContained(Stop.Thrown("Cannot read property 'wait' of undefined"));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void SharedArrayBuffer_IsAnError()
    {
        var attack = HostileAttack.Rule("const shared = new SharedArrayBuffer(16);");

        attack.AssertContained(Stop.Thrown("SharedArrayBuffer is not a constructor"));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void RequireFs_IsAnError()
    {
        var attack = HostileAttack.Rule("require('fs').readFileSync('/etc/passwd', 'utf8');");

        attack.AssertContained(Stop.Thrown("module 'fs' is not available in rules"));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void Process_IsAnError()
    {
        var attack = HostileAttack.Rule("process.env.PATH = ''; process.exit(1);");

        attack.AssertContained(Stop.Thrown("Property 'exit' of object is not a function"));
        attack.AssertOthersUnharmed();
    }

    /// <summary>
    /// A module's frames in a stack trace named its file by the path the server runs from
    /// (<c>/srv/.../rule-modules/node_modules/lodash/lodash.js:487:22</c>), which a rule could copy into a claim or
    /// the console: they name it from <c>node_modules/</c> on, as the package's own files do.
    /// </summary>
    [Test]
    public void StackThroughAModule_NamesItsFileWithoutTheServersFolder()
    {
        var tenant = PooledTenant.With("",
            "(() => { try { require('lodash').map([1], () => { throw new Error('x'); }); } catch (e) { return e.stack.split('\\n').find(line => line.includes('lodash.js')); } })()");

        var seen = tenant.NextLogin();

        Assert.Multiple(() =>
        {
            Assert.That(seen, Does.Match(@"^not run \|\s+at \w+ \(node_modules/lodash/lodash\.js:\d+:\d+\)$"));
            Assert.That(seen, Does.Not.Contain(AppContext.BaseDirectory.TrimEnd('/')));
        });
    }

    [Test]
    public void WritingToConfiguration_IsIgnoredAndALaterRuleSeesTheOriginal()
    {
        var attack = HostileAttack.Rule("configuration.TENANT = 'hacked'; delete configuration.TENANT; configuration.EXTRA = 'x';");

        Assert.Multiple(() =>
        {
            Assert.That(attack.Trace.Status, Is.EqualTo(RuleStatus.Ok), "sloppy-mode writes to a frozen object are ignored");
            Assert.That(attack.Decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
            Assert.That(attack.Decision.IdTokenClaims[HostileAttack.RuleClaim]!.ToJsonString(), Is.EqualTo("""["mallory",true]"""));
            Assert.That(attack.Decision.IdTokenClaims[HostileAttack.ActionClaim]!.ToJsonString(), Is.EqualTo("""["mallory",true]"""));
        });
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void WritingToConfigurationInStrictMode_IsAnError()
    {
        var attack = HostileAttack.Rule("(() => { 'use strict'; configuration.TENANT = 'hacked'; })();");

        attack.AssertContained(Stop.Thrown("Cannot assign to read only property 'TENANT'"));
        attack.AssertOthersUnharmed();
    }
}
