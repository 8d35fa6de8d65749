using System.Text.Json;
using System.Text.Json.Nodes;

namespace RulesMfa.Engine.Context;

/// <summary>
/// How deep the JSON of a login may nest: metadata documents, the metadata patches and claims rules ask for. An
/// object or array is one level more than its deepest value (<c>{}</c> is one level, <c>{"a":{}}</c> two). The
/// server writes every such document inside a few more levels (the decision log, API responses) and .NET's JSON
/// reader and writer stop at 64, so a rule going deeper breaks the output-depth limit, and stored metadata deeper
/// than this is not shown to the rules.
/// </summary>
public static class JsonNesting
{
    /// <summary>Levels a metadata document, a metadata patch or a token's claims may nest: 32.</summary>
    public const int MaxLevels = 32;

    /// <summary>Parses <paramref name="json"/> when it is JSON nested at most <paramref name="maxLevels"/> levels; false otherwise.</summary>
    public static bool TryParse(string json, out JsonNode? node, int maxLevels = MaxLevels)
    {
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = maxLevels });
            return true;
        }
        catch (JsonException)
        {
            node = null;
            return false;
        }
    }

    /// <summary>The levels <paramref name="node"/> nests: 0 for a value, 1 for an object or array of values, and so on.</summary>
    public static int LevelsOf(JsonNode? node)
    {
        var deepest = 0;
        var pending = new Stack<(JsonNode? Node, int Level)>([(node, 0)]);
        while (pending.TryPop(out var item))
        {
            IEnumerable<JsonNode?>? children = item.Node switch
            {
                JsonObject obj => obj.Select(property => property.Value),
                JsonArray array => array,
                _ => null,
            };
            if (children is null)
            {
                continue;
            }

            deepest = Math.Max(deepest, item.Level + 1);
            foreach (var child in children)
            {
                pending.Push((child, item.Level + 1));
            }
        }

        return deepest;
    }
}
