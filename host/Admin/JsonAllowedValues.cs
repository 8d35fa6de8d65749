using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace RulesMfa.Host.Admin;

/// <summary>
/// The values a JSON field of a fixed set (an enum) accepts, found from the path System.Text.Json reports when it refuses
/// one, so that the error can list them.
/// </summary>
internal static partial class JsonAllowedValues
{
    /// <summary>The accepted values of the field at <paramref name="path"/> (<c>$.webAuthn.userVerification</c>,
    /// <c>$.phone.messageTypes[1]</c>) in <paramref name="root"/>, as the options write them; null when it is not an enum.</summary>
    public static IReadOnlyList<string>? At(Type root, string? path, JsonSerializerOptions options)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var type = root;
        foreach (Match segment in Segments().Matches(path))
        {
            if (!options.TryGetTypeInfo(type, out var info))
            {
                return null;
            }

            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
            Type? next = info.Kind switch
            {
                JsonTypeInfoKind.Object when !segment.Groups["index"].Success => info.Properties
                    .FirstOrDefault(property => string.Equals(property.Name, name, options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))?.PropertyType,
                JsonTypeInfoKind.Enumerable when segment.Groups["index"].Success => info.ElementType,
                JsonTypeInfoKind.Dictionary when !segment.Groups["index"].Success => info.ElementType,
                _ => null,
            };
            if (next is null)
            {
                return null;
            }

            type = next;
        }

        var enumType = Nullable.GetUnderlyingType(type) ?? type;
        return enumType.IsEnum
            ? Enum.GetValues(enumType).Cast<object>().Select(value => JsonSerializer.Serialize(value, enumType, options).Trim('"')).ToList()
            : null;
    }

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex Segments();
}
