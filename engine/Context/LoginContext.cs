using System.Text.Json.Nodes;

namespace RulesMfa.Engine.Context;

/// <summary>
/// One login as the rules see it, in Auth0's Rules naming: the <c>user</c> and the <c>context</c>.
/// The Actions <c>event</c> is projected from it (<see cref="ActionsEventProjection"/>).
/// </summary>
/// <remarks>Kept as JSON so that fields the engine does not know about still reach the rules unchanged.</remarks>
public sealed record LoginContext
{
    private LoginContext(JsonObject user, JsonObject context)
    {
        User = user;
        Context = context;
    }

    /// <summary>The <c>user</c> argument of a Rule.</summary>
    public JsonObject User { get; }

    /// <summary>The <c>context</c> argument of a Rule.</summary>
    public JsonObject Context { get; }

    /// <summary>Builds a login from Rules-view objects; both are deep-copied so the caller's objects stay untouched.</summary>
    public static LoginContext Create(JsonObject user, JsonObject context)
    {
        var contextCopy = (JsonObject)context.DeepClone();
        contextCopy.TryAdd("idToken", new JsonObject());
        contextCopy.TryAdd("accessToken", new JsonObject());
        return new LoginContext((JsonObject)user.DeepClone(), contextCopy);
    }

    /// <summary>Reads <c>{"user": {...}, "context": {...}}</c>; a missing part is an empty object.</summary>
    /// <exception cref="LoginContextFormatException">A part is not a JSON object.</exception>
    public static LoginContext FromRulesView(JsonNode? root)
    {
        if (root is not JsonObject rootObject)
        {
            throw new LoginContextFormatException("the login must be a JSON object with \"user\" and \"context\" objects");
        }

        return Create(ReadObject(rootObject, "user"), ReadObject(rootObject, "context"));
    }

    private static JsonObject ReadObject(JsonObject root, string name) => root[name] switch
    {
        null => new JsonObject(),
        JsonObject value => value,
        var other => throw new LoginContextFormatException($"\"{name}\" must be a JSON object, not {other.GetValueKind().ToString().ToLowerInvariant()}"),
    };
}
