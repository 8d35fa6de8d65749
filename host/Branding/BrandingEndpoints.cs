using RulesMfa.Host.Admin;

namespace RulesMfa.Host.Branding;

/// <summary>The admin API's branding: <c>GET</c> and <c>PUT /branding</c>.</summary>
public static class BrandingEndpoints
{
    public static IServiceCollection AddBranding(this IServiceCollection services) => services.AddScoped<BrandingStore>();

    public static void MapBranding(this RouteGroupBuilder api)
    {
        api.MapGet("/branding", (HttpContext http, BrandingStore branding) => branding.GetAsync(AdminApi.Tenant(http), http.RequestAborted))
            .WithSummary("The hosted pages' branding: friendly name, logo URL, primary colour and page template (null: the defaults).");
        api.MapPut("/branding", async (HttpContext http, BrandingStore branding) =>
        {
            var (value, problem) = await JsonBody.ReadAsync<BrandingSettings>(http.Request, http.RequestAborted, JsonBody.StrictOptions);
            if (problem is not null)
            {
                return problem;
            }

            var problems = await branding.SaveAsync(AdminApi.Tenant(http), value!, AdminApi.Caller(http), http.RequestAborted);
            return problems.Count == 0 ? Results.Ok(await branding.GetAsync(AdminApi.Tenant(http), http.RequestAborted)) : ApiProblems.Invalid(problems);
        }).WithSummary("Replaces the branding (validated as a whole: https logo, readable colour, a page template that parses and makes no script; nothing is saved when a field is wrong).");
    }
}
