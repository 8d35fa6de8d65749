using Jint.Runtime;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// Counts the promise reactions a rule registers (every <c>then</c>, <c>await</c> and thenable resolution) and stops
/// the rule once it passes <see cref="SandboxLimits.MaxPromiseReactions"/>. A microtask flood otherwise ran until the
/// time or memory limit, allocating fast enough to slow logins on the other cores through the garbage collector.
/// Jint calls this hook where a reaction is registered; a CLR exception there ends the rule, and JavaScript cannot catch it.
/// </summary>
internal sealed class PromiseReactionBudget : JobCallbackHooks
{
    public static PromiseReactionBudget Instance { get; } = new();

    protected override object? Capture(JintEngine engine)
    {
        if (engine.Advanced.HostDefined is LoginSandbox sandbox && ++sandbox.PromiseReactions > sandbox.Limits.MaxPromiseReactions)
        {
            throw new SandboxLimitException(SandboxLimit.PromiseReactions,
                $"registered more than {sandbox.Limits.MaxPromiseReactions:N0} promise reactions");
        }

        // Nothing to carry to the callback: the hook only counts.
        return null;
    }

    protected override object Enter(JintEngine engine, object hostDefined) => hostDefined;

    protected override void Exit(JintEngine engine, object? token)
    {
    }
}
