using System.Diagnostics;
using System.Text.Json.Nodes;

namespace RulesMfa.Tests.Differential;

/// <summary>
/// Runs tests/differential/harness.js on the machine's Node.js: an Auth0-like runner of Rules on the <c>vm</c>
/// module, fed the same logins, clock and installed modules as RulesMfa. Fails (never skips) when Node.js is missing.
/// </summary>
internal static class NodeHarness
{
    /// <summary>The whole corpus takes a few seconds; a harness that runs longer is stuck.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static JsonArray Run(string harness, JsonObject input)
    {
        var jsonwebtoken = Path.Combine(Path.GetDirectoryName(harness)!, "node_modules", "jsonwebtoken", "package.json");
        if (!File.Exists(jsonwebtoken))
        {
            Assert.Fail($"{jsonwebtoken} is missing: run ./test.sh, which installs it with npm (cd tests/differential && npm ci).");
        }

        var start = new ProcessStartInfo("node", [harness])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["TZ"] = "UTC" },
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("Node.js is missing: the differential tests need the machine's 'node' (Debian: apt-get install nodejs; ./test.sh installs it when run as root).");
            throw;
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            process.StandardInput.Write(input.ToJsonString());
            process.StandardInput.Close();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"the Node.js harness did not finish within {Timeout.TotalSeconds} s");
            }

            Assert.That(process.ExitCode, Is.Zero, () => $"the Node.js harness failed: {error.Result}");
            return JsonNode.Parse(output.Result)!.AsArray();
        }
    }
}
