namespace RulesMfa.Load;

/// <summary>What a run does (several servers: hosts on one database, the workers split between them); see <see cref="LoadProgram"/> for each option's meaning and default.</summary>
internal sealed record LoadOptions(
    IReadOnlyList<string> Servers, string DataFolder, TimeSpan Duration, int Concurrency, int Users, IReadOnlyList<string> Rules, IReadOnlyList<string> Scenarios,
    IReadOnlyList<int> ServerPids, bool NoMfa = false);
