using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;

namespace RulesMfa.Engine.Testing;

/// <summary>One login and the decision fields it must produce.</summary>
public sealed record RuleTestCase(string Name, LoginContext Login, DateTimeOffset? Now, JsonObject Expect);
