namespace RulesMfa.Host.Branding;

/// <summary>
/// All a page template can reach: <c>tenant.name</c>, <c>tenant.logo_url</c> (an https URL or empty), <c>tenant.color</c>
/// (<c>#rrggbb</c> or empty) and <c>content</c> (the hosted page's own markup).
/// </summary>
public sealed record PageTemplateModel(string TenantName, string? LogoUrl, string? Color);
