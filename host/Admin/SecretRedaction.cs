using System.Text.Json.Nodes;

namespace RulesMfa.Host.Admin;

/// <summary>
/// Hides the values of a tenant's secret configuration wherever they appear whole in text or JSON (values, names),
/// replacing each by <c>(secret NAME)</c>: for what admins read about real logins (the decision log) and what the
/// server logs. It cannot recognise a value a rule transformed (reversed, encoded); console and test runs therefore
/// never get the real values at all (<see cref="TenantConfiguration.ValuesForRuns"/>).
/// </summary>
public sealed class SecretRedaction
{
    public static readonly SecretRedaction None = new([]);

    // Longest first, so a secret that contains another is hidden whole.
    private readonly (string Value, string Marker)[] secrets;

    public SecretRedaction(IEnumerable<KeyValuePair<string, string>> secretValues) =>
        secrets = secretValues.Where(secret => secret.Value.Length > 0)
            .OrderByDescending(secret => secret.Value.Length)
            .Select(secret => (secret.Value, Marker(secret.Key)))
            .ToArray();

    /// <summary>What replaces the secret <paramref name="name"/>'s value.</summary>
    public static string Marker(string name) => $"(secret {name})";

    public string Redact(string text)
    {
        foreach (var (value, marker) in secrets)
        {
            text = text.Replace(value, marker, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>A copy with every string (property names included) redacted; the node itself when there is no secret to hide.</summary>
    public JsonNode? Redact(JsonNode? node) => secrets.Length == 0 ? node : Copy(node);

    private JsonNode? Copy(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject properties:
                var copy = new JsonObject();
                foreach (var (name, value) in properties)
                {
                    copy[Redact(name)] = Copy(value);
                }

                return copy;
            case JsonArray items:
                return new JsonArray(items.Select(Copy).ToArray());
            case JsonValue value when value.TryGetValue<string>(out var text):
                return JsonValue.Create(Redact(text));
            default:
                return node?.DeepClone();
        }
    }
}
