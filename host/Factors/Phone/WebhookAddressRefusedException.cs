namespace RulesMfa.Host.Factors.Phone;

/// <summary>A webhook's host resolved only to addresses the server does not post to (<see cref="WebhookAddressGuard"/>).</summary>
public sealed class WebhookAddressRefusedException(string message) : IOException(message);
