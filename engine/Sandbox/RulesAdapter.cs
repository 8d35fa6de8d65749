using Jint.Native;
using Jint.Native.Object;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// Runs one legacy Rule: <c>function (user, context, callback)</c>. The <c>user</c> and <c>context</c> it
/// calls back with carry forward to the next Rule.
/// </summary>
internal sealed class RulesAdapter(LoginSandbox sandbox, ObjectInstance user, ObjectInstance context) : IRuleAdapter
{
    public ObjectInstance User { get; private set; } = user;

    public ObjectInstance Context { get; private set; } = context;

    /// <summary>Runs the rule; call inside <see cref="LoginSandbox.Run"/>, which turns throws and limits into results.</summary>
    public RuleRun Run(CompiledRule rule)
    {
        var function = sandbox.FunctionOf(rule);
        var callback = sandbox.CallbackOf(rule);

        var settlement = sandbox.CallAndDrain(function, User, Context, callback.Function);
        if (settlement.Rejection is { } rejection)
        {
            return RuleFaults.Rejected(rule, rejection, sandbox.Outputs);
        }

        if (!callback.Called)
        {
            return RuleRun.Faulted(RuleStatus.Timeout, $"Rule '{rule.Id}' never called its callback.");
        }

        if (callback.Failed)
        {
            return RuleRun.Denied(RuleFaults.ErrorOf(callback.Error));
        }

        User = callback.User ?? User;
        Context = callback.Context ?? Context;
        RulesOutputReader.Read(sandbox, rule.Id, Context);
        return RuleRun.Ok;
    }
}
