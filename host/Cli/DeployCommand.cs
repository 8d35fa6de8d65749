using System.CommandLine;
using System.Text.Json.Nodes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Testing;

namespace RulesMfa.Host.Cli;

/// <summary>
/// <c>rulesmfa deploy FOLDER --server URL --tenant T [--client-id ID --client-secret S] [--prune]</c>: signs in to the
/// server first (an unreachable server or refused credentials stop it before any test), compiles the folder's rules and runs its tests locally (nothing is uploaded when one fails), then saves each rule with its
/// test cases through the admin API, in file-name order (order = position × 10, enabled). Rules on the server that
/// the folder lacks are left alone, or disabled with <c>--prune</c> (never deleted: their versions stay and
/// <c>rule enable</c> brings one back). Each save is atomic on the server; deploy stops at the first refusal.
/// </summary>
internal static class DeployCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var folder = new Argument<string>("FOLDER") { Description = "A folder of rules (*.js) with their X.test.json files." };
        var prune = new Option<bool>("--prune") { Description = "Disable the tenant's rules that are not in the folder (default: leave them alone)." };
        var server = new ServerOptions();
        var command = new Command("deploy", "Test a folder of rules locally, then upload each with its test cases to a tenant " +
            "(the server runs the cases again and refuses a rule whose cases fail). Exit 1 when tests fail or the server refuses; 2 on usage errors.")
        {
            folder, prune,
        };
        foreach (var option in server.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            IReadOnlyList<DeployRule> rules;
            ServerTarget target;
            try
            {
                rules = DeployFolder.Read(parsed.GetValue(folder)!);
                target = server.Read(parsed);
            }
            catch (CliInputException invalid)
            {
                error.WriteLine(invalid.Message);
                return CliExitCodes.UsageOrCompilation;
            }

            try
            {
                // The server and the credentials first: a wrong secret is found before minutes of local tests.
                using var api = await AdminApiClient.ConnectAsync(target, cancellationToken);
                output.WriteLine($"Signed in to {target} as '{target.ClientId}'.");
                if (TestLocally(parsed.GetValue(folder)!, rules, output, error) is { } refused)
                {
                    return refused;
                }

                return await UploadAsync(api, rules, target, parsed.GetValue(prune), output, error, cancellationToken);
            }
            catch (CliServerException refusedByServer)
            {
                error.WriteLine($"rulesmfa: {refusedByServer.Message}");
                return CliExitCodes.TestsFailed;
            }
        });
        return command;
    }

    /// <summary>Compiles every rule and runs every test file of the folder; an exit code when the deploy must stop.</summary>
    private static int? TestLocally(string folder, IReadOnlyList<DeployRule> rules, TextWriter output, TextWriter error)
    {
        try
        {
            foreach (var rule in rules)
            {
                RuleCompiler.Shared.Compile(RuleSource.FromFile(rule.FilePath));
            }

            var testFiles = RuleTestFile.Find([folder]);
            if (testFiles.Count == 0)
            {
                output.WriteLine($"{folder} holds no test file: nothing to run locally.");
                return null;
            }

            output.WriteLine($"Testing {folder} locally:");
            var runner = new RuleTestRunner(RuleCompiler.Shared);
            if (TestCommand.Run(testFiles, file => runner.Run(file), output, error) == CliExitCodes.TestsFailed)
            {
                error.WriteLine("rulesmfa: deploy refused: test cases failed (above); nothing was uploaded");
                return CliExitCodes.TestsFailed;
            }

            return null;
        }
        catch (RuleCompilationException invalid)
        {
            error.WriteLine(invalid.Message);
            error.WriteLine("rulesmfa: deploy refused: a rule does not compile; nothing was uploaded");
            return CliExitCodes.TestsFailed;
        }
        catch (Exception invalid) when (invalid is RuleTestFormatException or FileNotFoundException)
        {
            error.WriteLine(invalid.Message);
            return CliExitCodes.UsageOrCompilation;
        }
    }

    private static async Task<int> UploadAsync(
        AdminApiClient api, IReadOnlyList<DeployRule> rules, ServerTarget target, bool prune, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var before = (await api.ListRulesAsync(cancellationToken)).ToDictionary(rule => rule.Id, StringComparer.Ordinal);
        output.WriteLine($"Deploying {rules.Count} rules to {target}:");
        var saved = new List<string>();
        foreach (var (rule, position) in rules.Select((rule, index) => (rule, index + 1)))
        {
            var body = new JsonObject
            {
                ["source"] = rule.Source, ["tests"] = rule.Tests.DeepClone(), ["order"] = position * 10, ["enabled"] = true,
            };
            var answer = await api.PutRuleAsync(rule.Id, body, cancellationToken);
            if (answer.Status != 200)
            {
                DeployRefusal.Write(rule, answer, error);
                error.WriteLine(saved.Count == 0
                    ? "rulesmfa: deploy stopped; nothing was changed on the server"
                    : $"rulesmfa: deploy stopped; already saved: {string.Join(", ", saved)}");
                return CliExitCodes.TestsFailed;
            }

            var version = answer.Body!["rule"]!["version"]!.GetValue<int>();
            var state = !before.TryGetValue(rule.Id, out var old) ? "created"
                : answer.Body["newVersion"]!.GetValue<bool>() ? "updated"
                : "unchanged";
            var moved = string.Concat(
                old is { Enabled: false } ? "; enabled again" : "",
                old is not null && old.Order != position * 10 ? $"; order {position * 10}" : "");
            output.WriteLine($"  {rule.Id}  {state} (version {version}{moved}){(rule.TestsNote is null ? "" : $"  [{rule.TestsNote}]")}");
            saved.Add(rule.Id);
        }

        var others = before.Values.Where(rule => !rules.Any(local => local.Id == rule.Id)).ToList();
        foreach (var other in others)
        {
            if (!other.Enabled)
            {
                output.WriteLine($"  {other.Id}  not in the folder, already disabled");
            }
            else if (prune)
            {
                await api.PatchRuleAsync(other.Id, new JsonObject { ["enabled"] = false }, cancellationToken);
                output.WriteLine($"  {other.Id}  disabled (not in the folder)");
            }
            else
            {
                output.WriteLine($"  {other.Id}  left alone: not in the folder, still enabled (--prune disables it)");
            }
        }

        output.WriteLine($"Deployed {rules.Count} rules to {target}.");
        return CliExitCodes.Success;
    }
}
