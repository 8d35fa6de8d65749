namespace RulesMfa.Host;

/// <summary>A server setting that cannot be used; the message names the setting and what is wrong with it.</summary>
public sealed class InvalidSettingException(string setting, string problem) : Exception($"{setting}: {problem}");
