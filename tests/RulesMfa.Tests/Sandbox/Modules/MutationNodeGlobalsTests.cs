using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Modules;

/// <summary>
/// Node's globals in a rule (issue 19, engine/Sandbox/NodeCompat): <c>process</c> says Auth0's last Node version
/// and cannot be changed or given an environment, and the timer functions look like Node's.
/// </summary>
public sealed class MutationNodeGlobalsTests
{
    private static string Claim(string body)
    {
        var decision = Some.Decision(
            $$"""
            function (user, context, callback) {
              'use strict';
              context.idToken['https://x/v'] = (() => { try { {{body}} } catch (e) { return [e.name, e.message]; } })();
              callback(null, user, context);
            }
            """);
        Assert.That(decision.Error, Is.Null, () => $"the rule failed: {decision.Error} {string.Join("; ", decision.Logs.Select(log => log.Message))}");
        return decision.IdTokenClaims["https://x/v"]!.ToJsonString();
    }

    [Test]
    public void Process_SaysNode18OnLinux_WithAnEmptyEnvironment()
    {
        var claim = Claim("return [process.version, process.versions.node, process.platform, Object.keys(process.env).length, Object.keys(process), Object.keys(process.versions)];");

        Assert.That(claim, Is.EqualTo("""["v18.20.4","18.20.4","linux",0,["version","versions","env","platform"],["node"]]"""));
    }

    [TestCase("process.version = 'v99';", "version")]
    [TestCase("process.env = {};", "env")]
    [TestCase("process.versions.node = '99';", "node")]
    [TestCase("process.platform = 'win32';", "platform")]
    public void Process_CannotBeChanged(string assignment, string property)
    {
        var claim = Claim($"{assignment} return 'changed';");

        Assert.That(claim, Is.EqualTo($"[\"TypeError\",\"Cannot assign to read only property \\u0027{property}\\u0027 of Object\"]"));
    }

    [Test]
    public void ProcessEnv_CannotBeGivenAVariable()
    {
        Assert.That(Claim("process.env.SECRET = 'x'; return 'added';"), Does.StartWith("[\"TypeError\","));
        Assert.That(Claim("try { process.env.SECRET = 'x'; } catch (e) { } return [Object.isExtensible(process.env), process.env.SECRET === undefined];"), Is.EqualTo("[false,true]"));
    }

    [Test]
    public void TimerFunctions_HaveNodesNames()
    {
        var claim = Claim("return [setTimeout.name, setImmediate.name, clearTimeout.name, clearImmediate.name, setTimeout.length, setImmediate.length, clearTimeout.length];");

        Assert.That(claim, Is.EqualTo("""["setTimeout","setImmediate","clearTimeout","clearImmediate",2,1,1]"""));
    }
}
