namespace RulesMfa.Host.Factors.Totp;

/// <summary>What the authenticator app's enrollment shows: the key to type, the QR code, and the name the app lists.</summary>
public sealed record OtpEnrollmentView(string SecretKey, string QrCodeDataUri, string Issuer);
