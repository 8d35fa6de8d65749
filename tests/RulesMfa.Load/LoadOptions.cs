using Microsoft.AspNetCore.Identity;

namespace RulesMfa.Load;

/// <summary>
/// What a run does (several servers: hosts on one database, the workers split between them); see <see cref="LoadProgram"/>
/// for each option's meaning and default. <see cref="PasswordHashing"/> is not an option: the users' hashes have ASP.NET
/// Core Identity's defaults, unless a benchmark sets it (its in-process server verifies with the same).
/// </summary>
internal sealed record LoadOptions(
    IReadOnlyList<string> Servers, string DataFolder, TimeSpan Duration, int Concurrency, int Users, IReadOnlyList<string> Rules, IReadOnlyList<string> Scenarios,
    IReadOnlyList<int> ServerPids, bool NoMfa = false, PasswordHasherOptions? PasswordHashing = null);
