using System.Text.Json.Nodes;

namespace RulesMfa.Host.Cli;

/// <summary>Why the server refused a rule, written as <c>test</c> and <c>eval</c> write it: <c>file:line:column: message</c>, or the failed cases.</summary>
internal static class DeployRefusal
{
    public static void Write(DeployRule rule, ApiAnswer answer, TextWriter error)
    {
        var problem = answer.Body;
        if (answer.Status == 422 && problem?["tests"] is JsonObject tests)
        {
            error.WriteLine($"{rule.FilePath}: the server refused the rule: {tests["failed"]} of {tests["cases"]} test cases failed on the server " +
                "(a test file without \"configuration\" runs there with the tenant's configuration)");
            foreach (var result in (tests["results"] as JsonArray ?? []).Where(result => result?["passed"]?.GetValue<bool>() == false))
            {
                error.WriteLine($"  FAIL  {result!["name"]}");
                foreach (var difference in result["differences"] as JsonArray ?? [])
                {
                    error.WriteLine($"        {difference}");
                }
            }

            return;
        }

        var errors = (problem?["errors"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (errors.Count == 0)
        {
            error.WriteLine($"{rule.FilePath}: the server refused the rule ({answer.Status}): {problem?["detail"] ?? problem?["title"]}");
        }

        foreach (var field in errors)
        {
            error.WriteLine(field["line"] is { } line
                ? $"{rule.FilePath}:{line}:{field["column"]}: {field["message"]}"
                : $"{rule.FilePath}: {field["field"]}: {field["message"]}");
        }
    }
}
