using System.CommandLine;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;

namespace RulesMfa.Host.Cli;

/// <summary>
/// <c>rulesmfa eval (--rules PATH... | --server URL --tenant T) --context FILE [--configuration FILE] [--now ISO-8601] [--rule-timeout MS] [--json]</c>:
/// the rules are local files, or a tenant's deployed rules (enabled, in order) fetched through its admin API.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var rules = new Option<string[]>("--rules")
        {
            Description = "Rule files (.js) or folders of them, in run order.",
            AllowMultipleArgumentsPerToken = true,
        };
        var server = new ServerOptions();
        var context = new Option<string>("--context") { Description = "The login: {\"user\": {...}, \"context\": {...}} (Rules view).", Required = true };
        var configuration = new Option<string?>("--configuration") { Description = "A JSON object of strings: configuration and event.secrets." };
        var now = new Option<string?>("--now") { Description = "The time the rules see, ISO-8601; default now." };
        var ruleTimeout = new Option<int?>("--rule-timeout")
        {
            Description = "The time limit of each rule in milliseconds, as a tenant's sandbox setting would set it; default 250. " +
                "The whole login may take four times it, from 1 s to 60 s.",
        };
        var json = new Option<bool>("--json") { Description = "Print the decision as one JSON object." };

        var command = new Command("eval", "Evaluate rules on one login and print the decision. The rules are local files (--rules), " +
            "or a tenant's deployed rules (--server and --tenant; the configuration still comes from --configuration: secrets cannot be read back).")
        {
            rules, context, configuration, now, ruleTimeout, json,
        };
        foreach (var option in server.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            try
            {
                var localRules = parsed.GetValue(rules);
                var sources = (localRules is { Length: > 0 }, server.IsGiven(parsed)) switch
                {
                    (true, false) => RuleFiles.Load(localRules!),
                    (false, true) => await DeployedRules.FetchAsync(server.Read(parsed), cancellationToken),
                    _ => throw new CliInputException("rulesmfa: name the rules with --rules PATH..., or take a tenant's deployed rules with --server URL --tenant T (not both)\n" +
                        "usage: rulesmfa eval (--rules PATH... | --server URL --tenant T) --context FILE [--configuration FILE] [--now ISO-8601] [--rule-timeout MS] [--json]"),
                };
                var compiled = RuleCompiler.Shared.CompileAll(sources);
                var settings = new RulePipelineSettings
                {
                    Configuration = CliInputs.ReadConfiguration(parsed.GetValue(configuration)),
                    Limits = CliInputs.ReadLimits(parsed.GetValue(ruleTimeout)),
                };
                var fixedNow = CliInputs.ReadNow(parsed.GetValue(now));
                var login = CliInputs.ReadLogin(parsed.GetValue(context)!);

                var pipeline = new RulePipeline(compiled, settings, fixedNow is null ? TimeProvider.System : new FixedTimeProvider(fixedNow.Value));
                var decision = pipeline.Evaluate(login);

                if (parsed.GetValue(json))
                {
                    output.WriteLine(MfaDecisionJson.Serialize(decision, indented: true));
                }
                else
                {
                    DecisionText.Write(decision, output);
                }

                return CliExitCodes.Success;
            }
            catch (Exception exception) when (exception is RuleCompilationException or CliInputException or FileNotFoundException or CliServerException)
            {
                error.WriteLine(exception.Message);
                return CliExitCodes.UsageOrCompilation;
            }
        });
        return command;
    }
}
