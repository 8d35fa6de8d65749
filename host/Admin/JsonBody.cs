using System.Text.Json;

namespace RulesMfa.Host.Admin;

/// <summary>Reads a request's JSON body, turning malformed JSON into a field error that says where, instead of a bare 400.</summary>
public static class JsonBody
{
    public const int MaxBytes = 2_000_000;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static async Task<(T? Value, FieldError? Error)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, new FieldError("body", $"the body holds at most {MaxBytes:N0} bytes"));
        }

        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (null, new FieldError("body", "send JSON (Content-Type: application/json)"));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, cancellationToken);
            return value is null ? (null, new FieldError("body", "a JSON object is required")) : (value, null);
        }
        catch (JsonException invalid)
        {
            var where = string.IsNullOrEmpty(invalid.Path) || invalid.Path == "$" ? "body" : invalid.Path.TrimStart('$', '.');
            return (null, new FieldError(where, $"not valid here (line {invalid.LineNumber + 1}, byte {invalid.BytePositionInLine + 1})"));
        }
    }
}
