namespace RulesMfa.Host.Branding;

/// <summary>
/// What the hosted pages show of a tenant, as the admin API reads and writes it: its friendly name, an https logo, a
/// primary colour and a page template (null for the defaults).
/// </summary>
public sealed record BrandingSettings(string? DisplayName, string? LogoUrl, string? PrimaryColor, string? PageTemplate)
{
    /// <summary>The longest friendly name: 100 characters.</summary>
    public const int MaxNameLength = 100;

    /// <summary>The longest logo URL: 2,048 characters.</summary>
    public const int MaxLogoUrlLength = 2_048;

    /// <summary>Every problem of these settings, by field; empty when they may be saved.</summary>
    public IReadOnlyList<Admin.FieldError> Problems()
    {
        var problems = new List<Admin.FieldError>();
        if (string.IsNullOrWhiteSpace(DisplayName) || DisplayName.Length > MaxNameLength || DisplayName.Any(char.IsControl))
        {
            problems.Add(new("displayName", $"must be 1 to {MaxNameLength} characters, with no line breaks or control characters"));
        }

        if (LogoUrl is { Length: > 0 } && !IsHttpsUrl(LogoUrl))
        {
            problems.Add(new("logoUrl", $"must be an absolute https:// URL of at most {MaxLogoUrlLength:N0} characters, such as https://example.com/logo.png"));
        }

        if (PrimaryColor is { Length: > 0 } && BrandColor.Problem(PrimaryColor) is { } color)
        {
            problems.Add(new("primaryColor", color));
        }

        if (problems.Count == 0 && PageTemplate is { Length: > 0 } && PageTemplates.Problem(PageTemplate, ToModel()) is { } template)
        {
            problems.Add(template);
        }

        return problems;
    }

    /// <summary>What a page template sees of these settings.</summary>
    public PageTemplateModel ToModel() => new(DisplayName ?? "", NullIfEmpty(LogoUrl), NullIfEmpty(PrimaryColor));

    /// <summary>True for an absolute https URL with a host and no user name or password in it.</summary>
    public static bool IsHttpsUrl(string? url) =>
        url is { Length: > 0 and <= MaxLogoUrlLength } && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0 && uri.UserInfo.Length == 0;

    public static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
