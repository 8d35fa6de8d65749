namespace RulesMfa.Engine.Testing;

/// <summary>A test file that cannot be read; the message names the file and the field.</summary>
public sealed class RuleTestFormatException(string message) : Exception(message);
