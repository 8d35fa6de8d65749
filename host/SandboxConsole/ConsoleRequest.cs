using System.Text.Json.Nodes;

namespace RulesMfa.Host.SandboxConsole;

/// <summary>
/// A console run: which rules (a draft set, or the deployed ones when <see cref="Rules"/> is null) on which input:
/// a context written by hand or from a template (<see cref="Input"/>), or a real user of the tenant logging in with
/// the given facts (<see cref="Login"/>), on the clock <see cref="Now"/> (default: the server's). The rules see the
/// tenant's configuration with placeholders for secret values, and <see cref="Configuration"/>'s values over it.
/// <see cref="Replay"/> names a recorded login of the decision log instead: its exact input, on its clock unless <see cref="Now"/> says otherwise.
/// </summary>
public sealed record ConsoleRequest(
    IReadOnlyList<DraftRule>? Rules, JsonObject? Input, ConsoleLogin? Login, DateTimeOffset? Now, IReadOnlyDictionary<string, string>? Configuration = null,
    long? Replay = null);

/// <summary>
/// A rule of a draft set: its source, its test cases (<c>{"cases": [...]}</c>, or null for none), whether logins would run
/// it, and the deployed version it was drafted from (null for a rule new in the draft).
/// </summary>
public sealed record DraftRule(string Id, string Source, JsonObject? Tests = null, bool Enabled = true, int? BaseVersion = null);

/// <summary>A real user's login as the console builds it: the same input a login from this IP, client and browser gets.</summary>
public sealed record ConsoleLogin(
    string UserId, string? Ip, string? ClientId, string? UserAgent, string? AcrValues, string? Hostname, JsonObject? Query, string? Protocol);
