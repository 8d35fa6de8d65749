namespace RulesMfa.Host.Cli;

/// <summary>One enrollment of the companion device: where the server is, the device's token there, and its TOTP secret.</summary>
/// <param name="Id">The enrollment id (<c>dev_…</c>).</param>
/// <param name="Token">The device's bearer token for this enrollment (secret).</param>
/// <param name="Issuer">The tenant's name, as the enrollment URI gave it.</param>
/// <param name="Account">The user's email, as the enrollment URI gave it.</param>
/// <param name="BaseUrl">The device API's base, without a trailing slash.</param>
/// <param name="TotpSecret">The TOTP secret, base32 (secret).</param>
internal sealed record DeviceAccount(string Id, string Token, string UserId, string Issuer, string Account, string BaseUrl, string TotpSecret);
