namespace RulesMfa.Host.Tenants;

/// <summary>The tenant of the current request, found from the first path segment.</summary>
public sealed record TenantContext(string Id)
{
    private static readonly object Key = new();

    public static TenantContext? Of(HttpContext http) => http.Items.TryGetValue(Key, out var tenant) ? tenant as TenantContext : null;

    /// <summary>The tenant of a request that the tenant middleware let through.</summary>
    public static TenantContext Required(HttpContext http) =>
        Of(http) ?? throw new InvalidOperationException("The request has no tenant; the tenant middleware must run first.");

    public void AttachTo(HttpContext http) => http.Items[Key] = this;
}
