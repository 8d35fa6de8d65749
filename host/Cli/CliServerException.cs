namespace RulesMfa.Host.Cli;

/// <summary>The server could not be reached or refused a request; the message says which request and why (never a secret).</summary>
internal sealed class CliServerException(string message) : Exception(message);
