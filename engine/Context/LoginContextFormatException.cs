namespace RulesMfa.Engine.Context;

/// <summary>A login given to the engine does not have the Rules-view shape; the message names the field.</summary>
public sealed class LoginContextFormatException(string message) : Exception(message);
