namespace RulesMfa.Host.Branding;

/// <summary>The branding's log events (ids 1260 to 1279).</summary>
internal static partial class BrandingLog
{
    [LoggerMessage(1260, LogLevel.Warning, "The page template of tenant {TenantId} was not used, the default layout was: it {Reason}")]
    public static partial void TemplateFellBack(this ILogger logger, string tenantId, string reason);
}
