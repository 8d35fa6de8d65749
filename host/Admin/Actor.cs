namespace RulesMfa.Host.Admin;

/// <summary>Who made a change, as the audit log names them: <c>user:ID</c>, <c>client:ID</c> or <c>cli:OS-USER</c>.</summary>
public sealed record Actor(string Name)
{
    public static Actor User(string userId) => new($"user:{userId}");

    public static Actor Client(string clientId) => new($"client:{clientId}");

    /// <summary>Someone at the server's console (the CLI works on the database directly).</summary>
    public static Actor Cli() => new($"cli:{Environment.UserName}");

    public override string ToString() => Name;
}
