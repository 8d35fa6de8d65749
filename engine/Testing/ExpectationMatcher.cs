using System.Text.Json.Nodes;

namespace RulesMfa.Engine.Testing;

/// <summary>
/// Compares an expectation with a decision: objects match by subset (every expected key, at any depth),
/// arrays and scalars exactly; an expected <c>null</c> also matches a missing key, so a test can say
/// "nothing was set". Returns one line per difference, naming the path.
/// </summary>
public static class ExpectationMatcher
{
    /// <summary>The differences; empty when the actual value meets the expectation.</summary>
    public static IReadOnlyList<string> Compare(JsonNode? expected, JsonNode? actual, string path = "")
    {
        var differences = new List<string>();
        Collect(expected, actual, path, differences);
        return differences;
    }

    private static void Collect(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected)
        {
            case JsonObject expectedObject when actual is JsonObject actualObject:
                foreach (var (name, value) in expectedObject)
                {
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    if (!actualObject.TryGetPropertyValue(name, out var actualValue))
                    {
                        if (value is null)
                        {
                            continue;
                        }

                        differences.Add($"{childPath}: expected {Show(value)}, but it is missing");
                    }
                    else
                    {
                        Collect(value, actualValue, childPath, differences);
                    }
                }

                break;
            case JsonArray expectedArray when actual is JsonArray actualArray && expectedArray.Count == actualArray.Count:
                for (var index = 0; index < expectedArray.Count; index++)
                {
                    Collect(expectedArray[index], actualArray[index], $"{path}[{index}]", differences);
                }

                break;
            case JsonObject or JsonArray:
                differences.Add($"{path}: expected {Show(expected)}, got {Show(actual)}");
                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual) && !SameNumber(expected, actual))
                {
                    differences.Add($"{path}: expected {Show(expected)}, got {Show(actual)}");
                }

                break;
        }
    }

    private static bool SameNumber(JsonNode? expected, JsonNode? actual) =>
        expected is JsonValue e && actual is JsonValue a && e.TryGetValue<double>(out var x) && a.TryGetValue<double>(out var y) && x == y;

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";
}
