using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;

namespace RulesMfa.Host.Login;

/// <summary>
/// A login as the rules would see it, and, when the user's metadata could not be read (stored nested deeper than
/// <see cref="JsonNesting.MaxLevels"/> levels, or not JSON), why: such a login is decided by the tenant's fail mode
/// without running the rules, and the unreadable document is shown as an empty object.
/// </summary>
public sealed record LoginInput(LoginContext Login, string? Unreadable)
{
    private static readonly string[] MetadataNames = ["app_metadata", "user_metadata"];

    /// <summary>The user's enrolled factor types, read once for the rules' context and the MFA plan; empty for a login given as JSON.</summary>
    public IReadOnlyList<string> EnrolledFactors { get; init; } = [];

    /// <summary>A login whose <paramref name="unreadable"/> metadata documents (if any) were replaced by empty objects in <paramref name="user"/>.</summary>
    public static LoginInput Of(JsonObject user, JsonObject context, IReadOnlyCollection<string> unreadable) => new(LoginContext.Create(user, context),
        unreadable.Count == 0 ? null
            : $"The user's {string.Join(" and ", unreadable)} is nested deeper than {JsonNesting.MaxLevels} levels or is not JSON; the rules were not run.");

    /// <summary>A login given as JSON (the console's input), read as a login reads the stored user: metadata nested too deep is not shown to the rules.</summary>
    public static LoginInput Of(LoginContext given)
    {
        var user = (JsonObject)given.User.DeepClone();
        var unreadable = MetadataNames.Where(name => JsonNesting.LevelsOf(user[name]) > JsonNesting.MaxLevels).ToList();
        unreadable.ForEach(name => user[name] = new JsonObject());
        return Of(user, given.Context, unreadable);
    }
}
