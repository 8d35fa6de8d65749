using System.Text.RegularExpressions;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>Turns whatever stopped a rule into a <see cref="RuleRun"/>: the rule's own error, or a fault naming the limit.</summary>
internal static class RuleFaults
{
    /// <summary>How the log names an error of ours (not the rule's) while a rule ran; the hostile suite fails on it.</summary>
    internal const string InternalErrorLog = "internal error of the rules engine";

    /// <summary>Classifies an exception thrown while a rule ran: the rule's error, a limit, or an error of ours.</summary>
    public static RuleRun Classify(Exception exception, CompiledRule rule, SandboxLimits limits, bool limitedByPipeline, RuleOutputs outputs) =>
        exception switch
        {
            JavaScriptException thrown => Thrown(thrown, rule, outputs, limits),
            SandboxLimitException ours => Limit(rule, ours.Limit, ours.Message),
            RegexMatchTimeoutException => Limit(rule, SandboxLimit.Regex, $"ran a regular expression longer than {limits.RegexTimeout.TotalMilliseconds:N0} ms"),
            TimeoutException when limitedByPipeline => PipelineTimeout(rule, limits),
            TimeoutException => RuleRun.Faulted(RuleStatus.Timeout,
                $"{rule.Label} ran longer than its time limit of {limits.RuleTimeout.TotalMilliseconds:N0} ms."),
            StatementsCountOverflowException => Limit(rule, SandboxLimit.Statements, $"executed more than {limits.MaxStatements:N0} statements"),
            MemoryLimitExceededException memory when memory.Message.StartsWith("The array size", StringComparison.Ordinal) =>
                Limit(rule, SandboxLimit.ArraySize, $"grew an array past the limit of {limits.MaxArraySize:N0} elements"),
            MemoryLimitExceededException => Limit(rule, SandboxLimit.Memory, $"allocated more than {limits.MaxMemoryBytes:N0} bytes"),
            // One builtin call (a template literal of many huge substitutions) can ask for more than .NET gives.
            OutOfMemoryException => Limit(rule, SandboxLimit.Memory, "asked for more memory than the process could give in one call"),
            RecursionDepthOverflowException or InsufficientExecutionStackException => Recursion(rule, limits),
            _ => Internal(exception, rule, outputs),
        };

    /// <summary>The rule's promise rejected: an error, as a throw is.</summary>
    public static RuleRun Rejected(CompiledRule rule, JsValue rejection, RuleOutputs outputs)
    {
        var error = ErrorOf(rejection);
        outputs.Log(rule.Id, "error", $"rejected: {error.Description}");
        return RuleRun.Errored(error);
    }

    /// <summary>The login's time ran out while (or before) this rule ran.</summary>
    public static RuleRun PipelineTimeout(CompiledRule rule, SandboxLimits limits) => RuleRun.Faulted(RuleStatus.Timeout,
        $"{rule.Label} ran past the time limit of {limits.PipelineTimeout.TotalMilliseconds:N0} ms for all rules of a login.");

    /// <summary>The deny a rule's error value stands for: <c>unauthorized</c> for an <c>UnauthorizedError</c>, else <c>access_denied</c>.</summary>
    public static DecisionError ErrorOf(JsValue error)
    {
        try
        {
            if (error is ObjectInstance errorObject)
            {
                var name = errorObject.Get("name");
                var message = errorObject.Get("message");
                var code = name.IsString() && name.AsString() == "UnauthorizedError" ? DecisionError.Unauthorized : DecisionError.AccessDenied;
                return new DecisionError(code, message.IsString() ? message.AsString() : TypeConverter.ToString(error));
            }

            return new DecisionError(DecisionError.AccessDenied, TypeConverter.ToString(error));
        }
        catch (JavaScriptException)
        {
            return new DecisionError(DecisionError.AccessDenied, "the rule failed with an error that could not be read");
        }
    }

    private static RuleRun Thrown(JavaScriptException thrown, CompiledRule rule, RuleOutputs outputs, SandboxLimits limits)
    {
        // Jint's stack guard surfaces as a RangeError; it is the recursion limit, not the rule's own error.
        if (thrown.Error is ObjectInstance { } thrownObject && thrownObject.Get("message") is var message && message.IsString()
            && message.AsString() == "Maximum call stack size exceeded")
        {
            return Recursion(rule, limits);
        }

        var error = ErrorOf(thrown.Error);
        var start = thrown.Location.Start;
        var (line, column) = RuleWrapper.For(rule.Kind).Unwrap(start.Line, start.Column + 1);
        var where = start.Line > 0 && thrown.Location.SourceFile == rule.Id ? $" (at {line}:{column})" : "";
        outputs.Log(rule.Id, "error", $"uncaught {error.Description}{where}");
        return RuleRun.Errored(error);
    }

    private static RuleRun Internal(Exception exception, CompiledRule rule, RuleOutputs outputs)
    {
        outputs.Log(rule.Id, "error", $"{InternalErrorLog} ({exception.GetType().Name}) while running this rule");
        return RuleRun.Faulted(RuleStatus.Error, $"{rule.Label} could not be evaluated because of an internal error.");
    }

    /// <summary>
    /// One description whichever guard stopped the recursion first: the call-depth count, or the stack (whose frames are
    /// larger before the JIT's second tier, so the same rule met one or the other by chance).
    /// </summary>
    private static RuleRun Recursion(CompiledRule rule, SandboxLimits limits) =>
        Limit(rule, SandboxLimit.Recursion, $"nested calls deeper than {limits.MaxRecursionDepth:N0} or the stack allows");

    private static RuleRun Limit(CompiledRule rule, SandboxLimit limit, string what) =>
        RuleRun.Faulted(RuleStatus.Limit, $"{rule.Label} {what}.", limit);
}
