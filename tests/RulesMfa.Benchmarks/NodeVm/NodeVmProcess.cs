using System.Diagnostics;
using System.Text.Json.Nodes;

namespace RulesMfa.Benchmarks.NodeVm;

/// <summary>
/// The machine's Node.js running vm-bench.js (beside this file) for the whole benchmark: each request runs a number
/// of logins in a fresh or a reused vm context and answers with the last login's decision.
/// </summary>
internal sealed class NodeVmProcess : IDisposable
{
    private readonly Process process;

    public NodeVmProcess(string script, string rulesFolder, string login, string configuration, DateTimeOffset now)
    {
        var start = new ProcessStartInfo("node", [script, rulesFolder, login, configuration, now.ToString("O")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            Environment = { ["TZ"] = "UTC" },
        };
        process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
    }

    /// <summary>Runs <paramref name="count"/> logins, each in a new context (fresh) or all in one context (reused); the last decision.</summary>
    public JsonObject Run(bool fresh, int count)
    {
        process.StandardInput.WriteLine($"{(fresh ? "fresh" : "reused")} {count}");
        process.StandardInput.Flush();
        var answer = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the Node.js benchmark script ended early");
        return JsonNode.Parse(answer)!.AsObject();
    }

    public void Dispose()
    {
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            process.Kill();
        }

        process.Dispose();
    }
}
