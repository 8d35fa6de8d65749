using System.Text.Json;
using System.Text.Json.Serialization;

namespace RulesMfa.Host.Admin;

/// <summary>
/// Reads a request's JSON body, turning malformed JSON into a field error that says where, instead of a bare 400, and a
/// body over <see cref="MaxBytes"/> into a 413, whether it announced its length or came in chunks.
/// </summary>
public static class JsonBody
{
    /// <summary>The largest body of an API call, and of any request: Kestrel's limit is set to it (<see cref="ServerApp"/>).</summary>
    public const int MaxBytes = 2_000_000;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// As <see cref="Options"/>, and a field the type does not have is refused, naming it, rather than ignored; so is a
    /// <c>null</c> for a field that holds no null (an object, list or text of the settings), which was taken as given and
    /// then failed as a 500 or was saved.
    /// </summary>
    public static readonly JsonSerializerOptions StrictOptions = new(Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    /// <summary>The body as <typeparamref name="T"/>, or the problem response to send instead.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, JsonSerializerOptions? options = null)
        where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, ApiProblems.TooLarge(MaxBytes));
        }

        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (null, ApiProblems.Invalid([new FieldError("body", "send JSON (Content-Type: application/json)")]));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options ?? Options, cancellationToken);
            return value is null ? (null, ApiProblems.Invalid([new FieldError("body", "a JSON object is required")])) : (value, null);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A chunked body has no length to check first: Kestrel stops it at MaxBytes while it is read.
            return (null, ApiProblems.TooLarge(MaxBytes));
        }
        catch (JsonException invalid)
        {
            var where = string.IsNullOrEmpty(invalid.Path) || invalid.Path == "$" ? "body" : invalid.Path.TrimStart('$', '.');
            var allowed = JsonAllowedValues.At(typeof(T), invalid.Path, options ?? Options);
            var what = IsUnknownField(invalid) ? "is not a field here"
                : IsNullRefused(invalid) ? "must not be null"
                : allowed is null ? "not valid here"
                : $"is not one of: {string.Join(", ", allowed)}";
            return (null, ApiProblems.Invalid([new FieldError(where, $"{what} (line {invalid.LineNumber + 1}, byte {invalid.BytePositionInLine + 1})")]));
        }
    }

    // System.Text.Json reports a field refused by JsonUnmappedMemberHandling.Disallow only in its message's words.
    private static bool IsUnknownField(JsonException invalid) => invalid.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal);

    // Nor a null refused by RespectNullableAnnotations.
    private static bool IsNullRefused(JsonException invalid) => invalid.Message.Contains("doesn't allow setting null values", StringComparison.Ordinal)
        || invalid.Message.Contains("doesn't allow getting null values", StringComparison.Ordinal);
}
