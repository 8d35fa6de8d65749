namespace RulesMfa.Host.Cli;

/// <summary>An input named on the command line that cannot be used; the message names the file and what is wrong.</summary>
internal sealed class CliInputException(string message) : Exception(message);
