namespace RulesMfa.Load;

/// <summary>A step that did not end where a login should have: the message says where it ended instead.</summary>
internal sealed class LoadException(string message) : Exception(message);
