namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>The kind of device a browser runs on, from its User-Agent: device biometrics are kept one per kind.</summary>
public static class DeviceKind
{
    public static string Of(string? userAgent) => userAgent switch
    {
        null => "Other",
        _ when userAgent.Contains("Android", StringComparison.Ordinal) => "Android",
        _ when userAgent.Contains("iPhone", StringComparison.Ordinal) || userAgent.Contains("iPad", StringComparison.Ordinal) => "iOS",
        _ when userAgent.Contains("Mac OS X", StringComparison.Ordinal) => "macOS",
        _ when userAgent.Contains("Windows", StringComparison.Ordinal) => "Windows",
        _ when userAgent.Contains("CrOS", StringComparison.Ordinal) => "ChromeOS",
        _ when userAgent.Contains("Linux", StringComparison.Ordinal) => "Linux",
        _ => "Other",
    };
}
