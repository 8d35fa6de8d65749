using Jint.Native;
using Jint.Native.Object;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// Runs one post-login Action: loads it as a CommonJS module, then awaits
/// <c>exports.onExecutePostLogin(event, api)</c>. Each Action gets its own copy of the login's <c>event</c>.
/// </summary>
internal sealed class ActionsAdapter(LoginSandbox sandbox, ActionsEvent loginEvent) : IRuleAdapter
{
    /// <summary>Runs the action; call inside <see cref="LoginSandbox.Run"/>, which turns throws and limits into results.</summary>
    public RuleRun Run(CompiledRule rule)
    {
        var engine = sandbox.Engine;
        var moduleFunction = sandbox.FunctionOf(rule);
        var module = new JsObject(engine);
        var exports = new JsObject(engine);
        module.FastSetDataProperty("exports", exports);
        engine.Call(moduleFunction, JsValue.Undefined, [exports, module]);

        var handler = module.Get("exports") is ObjectInstance exported ? exported.Get("onExecutePostLogin") : JsValue.Undefined;
        if (!handler.IsCallable())
        {
            return RuleRun.Errored(new DecisionError(DecisionError.AccessDenied, $"Action '{rule.Id}' does not export an onExecutePostLogin function."));
        }

        var api = sandbox.ApiOf(rule);
        var settlement = sandbox.CallAndDrain(handler, loginEvent.For(sandbox.Engine), api.Object);
        if (settlement.Rejection is { } rejection)
        {
            return RuleFaults.Rejected(rule, rejection, sandbox.Outputs);
        }

        if (!settlement.Settled)
        {
            return RuleRun.Faulted(RuleStatus.Timeout, $"Action '{rule.Id}' returned a promise that never settled.");
        }

        return api.Denial is { } reason ? RuleRun.Denied(new DecisionError(DecisionError.AccessDenied, reason)) : RuleRun.Ok;
    }
}
