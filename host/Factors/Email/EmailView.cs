namespace RulesMfa.Host.Factors.Email;

/// <summary>What the email factor's parts show: whether a code was just sent (then the code form), and the address.</summary>
public sealed record EmailView(bool CodeSent, string? Address);
