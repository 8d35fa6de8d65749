using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RulesMfa.Host.Cli;

/// <summary>
/// <c>rulesmfa backtest --server URL --tenant T --rules DIR [--last N] [--max-changes K] [--json]</c>: runs a folder of rules
/// (as <c>deploy</c> would upload them, nothing uploaded) on the tenant's newest recorded logins on the server, and reports how
/// many it decides differently, by kind of change, client and rule. Exit 1 when more than K logins change (or the backtest
/// fails), 2 on usage errors. Progress goes to stderr, so that <c>--json</c> leaves stdout to the result.
/// </summary>
internal static class BacktestCommand
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(500);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var rules = new Option<string>("--rules") { Description = "A folder of rules (*.js, run in file-name order, as deploy uploads them).", Required = true };
        var last = new Option<int?>("--last") { Description = "How many of the newest recorded logins to run on (default 1,000, at most 10,000)." };
        var maxChanges = new Option<int?>("--max-changes") { Description = "Exit 1 when more than K logins are decided differently (default: report only)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var server = new ServerOptions();
        var command = new Command("backtest", "Run a folder of rules on a tenant's recorded logins (nothing is deployed) and report the decisions that change. " +
            "Exit 1 when more than --max-changes change; 2 on usage errors.")
        {
            rules, last, maxChanges, json,
        };
        foreach (var option in server.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            IReadOnlyList<DeployRule> folder;
            ServerTarget target;
            try
            {
                folder = DeployFolder.Read(parsed.GetValue(rules)!);
                target = server.Read(parsed);
                if (parsed.GetValue(maxChanges) is < 0)
                {
                    throw new CliInputException("--max-changes must be 0 or more");
                }
            }
            catch (CliInputException invalid)
            {
                error.WriteLine(invalid.Message);
                return CliExitCodes.UsageOrCompilation;
            }

            try
            {
                using var api = await AdminApiClient.ConnectAsync(target, cancellationToken);
                var body = new JsonObject { ["rules"] = new JsonArray(folder.Select(rule => (JsonNode)new JsonObject { ["id"] = rule.Id, ["source"] = rule.Source }).ToArray()) };
                if (parsed.GetValue(last) is { } count)
                {
                    body["last"] = count;
                }

                var started = await api.StartBacktestAsync(body, cancellationToken);
                if (started.Status != 202)
                {
                    error.WriteLine($"rulesmfa: {target} refused the backtest: {started.Body?["detail"]}");
                    foreach (var problem in started.Body?["errors"] as JsonArray ?? [])
                    {
                        error.WriteLine($"  {problem?["field"]}: {problem?["message"]}");
                    }

                    return started.Status == 400 ? CliExitCodes.UsageOrCompilation : CliExitCodes.ServerRefused;
                }

                error.WriteLine($"Backtest of {folder.Count} rules on up to {started.Body!["total"]!.GetValue<int>():N0} recorded logins of {target} (the newest):");
                var job = await WaitAsync(api, error, cancellationToken);
                if (job["state"]!.GetValue<string>() != "done")
                {
                    error.WriteLine($"rulesmfa: the backtest {job["state"]}: {job["failure"]}");
                    return CliExitCodes.TestsFailed;
                }

                var result = job["result"]!;
                output.WriteLine(parsed.GetValue(json) ? result.ToJsonString(Indented) : Describe(result));
                var changed = result["changed"]!.GetValue<int>();
                if (parsed.GetValue(maxChanges) is { } limit && changed > limit)
                {
                    error.WriteLine($"rulesmfa: {changed} logins decided differently, more than --max-changes {limit}");
                    return CliExitCodes.TestsFailed;
                }

                return CliExitCodes.Success;
            }
            catch (CliServerException refused)
            {
                error.WriteLine($"rulesmfa: {refused.Message}");
                return CliExitCodes.ServerRefused;
            }
        });
        return command;
    }

    private static async Task<JsonNode> WaitAsync(AdminApiClient api, TextWriter error, CancellationToken cancellationToken)
    {
        var reported = "";
        while (true)
        {
            var job = await api.BacktestAsync(cancellationToken);
            var progress = $"  {job["done"]} of {job["total"]}{(job["waiting"] is { } waiting ? $" (paused: {waiting})" : "")}";
            if (progress != reported)
            {
                error.WriteLine(progress);
                reported = progress;
            }

            if (job["state"]!.GetValue<string>() != "running")
            {
                return job;
            }

            await Task.Delay(PollEvery, cancellationToken);
        }
    }

    private static string Describe(JsonNode result)
    {
        static string Counts(JsonNode? counts) => counts is JsonObject pairs && pairs.Count > 0
            ? string.Join(", ", pairs.Select(pair => $"{pair.Key} {pair.Value}"))
            : "none";

        var text = new System.Text.StringBuilder();
        text.AppendLine($"Compared {result["compared"]} recorded logins: {result["changed"]} decided differently ({result["skipped"]} skipped: input not readable).");
        text.AppendLine($"  by change: {Counts(result["byKind"])}");
        text.AppendLine($"  by client: {Counts(result["byClient"])}");
        text.AppendLine($"  by rule:   {Counts(result["byRule"])}");
        foreach (var change in (result["changes"] as JsonArray ?? []).Take(20))
        {
            text.AppendLine($"  login {change!["id"]} at {change["at"]} of {change["userEmail"] ?? change["userId"]} on {change["clientId"] ?? "(no client)"}: " +
                $"{change["recorded"]} → {change["draft"]} [{string.Join(", ", change["kinds"]!.AsArray())}] rules: {string.Join(", ", change["rules"]!.AsArray())}");
        }

        return text.ToString().TrimEnd();
    }
}
