namespace RulesMfa.Host.Factors.Phone;

/// <summary>A message template could not make a message (it does not parse, or it broke a rendering bound).</summary>
public sealed class PhoneTemplateException(string message) : Exception(message);
