namespace RulesMfa.Host.Factors.Push;

/// <summary>What the push enrollment shows: the enrollment URI as a QR code and a link, and what the page polls with.</summary>
public sealed record PushEnrollView(string Uri, string QrCodeDataUri, string StateToken);
