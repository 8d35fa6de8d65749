namespace RulesMfa.Load;

/// <summary>What a run does; see <see cref="LoadProgram"/> for each option's meaning and default.</summary>
internal sealed record LoadOptions(
    string Server, string DataFolder, TimeSpan Duration, int Concurrency, int Users, IReadOnlyList<string> Rules, IReadOnlyList<string> Scenarios);
