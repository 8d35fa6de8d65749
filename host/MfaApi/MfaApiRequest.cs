using System.Text.Json;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// The body of an MFA API call, JSON (<c>{"authenticator_types": ["otp"]}</c>) or form-encoded
/// (<c>authenticator_types=otp</c>, repeated or with <c>[]</c> for several), read into named values.
/// </summary>
public sealed class MfaApiRequest
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);

    /// <summary>The first value of <paramref name="name"/>, or null when absent or empty.</summary>
    public string? Value(string name) => values.TryGetValue(name, out var list) && list.Count > 0 && list[0].Length > 0 ? list[0] : null;

    /// <summary>Every value of <paramref name="name"/>; a space-separated value counts as several (<c>challenge_type=otp oob</c>).</summary>
    public IReadOnlyList<string> Values(string name) =>
        values.TryGetValue(name, out var list) ? list.SelectMany(value => value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList() : [];

    /// <summary>The request's body; null with a description when it is neither a JSON object nor a form.</summary>
    public static async Task<(MfaApiRequest? Request, string? Problem)> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var request = new MfaApiRequest();
        if (http.HasFormContentType)
        {
            foreach (var (name, value) in await http.ReadFormAsync(cancellationToken))
            {
                request.Add(name.EndsWith("[]", StringComparison.Ordinal) ? name[..^2] : name, value.Where(item => item is not null).Select(item => item!));
            }

            return (request, null);
        }

        if (http.ContentLength is 0 || (http.ContentLength is null && !http.Headers.ContainsKey("Transfer-Encoding")))
        {
            return (request, null);
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(http.Body, cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "The body must be a JSON object or a form.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                request.Add(property.Name, property.Value.ValueKind == JsonValueKind.Array
                    ? property.Value.EnumerateArray().Select(Text)
                    : [Text(property.Value)]);
            }

            return (request, null);
        }
        catch (JsonException invalid)
        {
            return (null, $"The body is not valid JSON (line {invalid.LineNumber + 1}, position {invalid.BytePositionInLine + 1}).");
        }
    }

    private void Add(string name, IEnumerable<string> items)
    {
        if (!values.TryGetValue(name, out var list))
        {
            values[name] = list = [];
        }

        list.AddRange(items);
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };
}
