namespace RulesMfa.Host.MfaApi;

/// <summary>One authenticator of a user as a factor lists it: its id (<c>totp|dev_12</c>), whether it is active, its oob channel and a name to show.</summary>
public sealed record MfaApiAuthenticator(string Id, bool Active, string? OobChannel = null, string? Name = null);
