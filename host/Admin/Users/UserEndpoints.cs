namespace RulesMfa.Host.Admin.Users;

/// <summary>
/// <c>/users</c>: the tenant's users searched, one with the names of their factors, and the two support actions. Each action
/// must be confirmed in its body (<c>{"confirm": true}</c>), so that no stray request removes a user's factors.
/// </summary>
internal static class UserEndpoints
{
    public static IServiceCollection AddUserSupport(this IServiceCollection services) =>
        services.AddScoped<UserDirectory>().AddScoped<UserSupport>();

    public static void MapUsers(this RouteGroupBuilder api)
    {
        api.MapGet("/users", (HttpContext http, UserDirectory users, string? email, string? search) =>
            users.SearchAsync(AdminApi.Tenant(http), search ?? email, http.RequestAborted))
            .WithSummary($"The tenant's users whose email, name or id matches ?search= (or ?email=), by email; at most {UserDirectory.MaxResults}.");
        api.MapGet("/users/{id}", async (string id, HttpContext http, UserDirectory users) =>
            await users.GetAsync(AdminApi.Tenant(http), id, http.RequestAborted) is { } user ? Results.Ok(user) : NoUser(id))
            .WithSummary("One user with the names of their enrolled factors (never a secret) and how many browsers skip MFA for them.");
        api.MapPost("/users/{id}/reset-mfa", (string id, HttpContext http, UserDirectory users, UserSupport support) =>
            ConfirmedAsync(id, http, users, async user => Results.Ok(await support.ResetMfaAsync(AdminApi.Tenant(http), user, AdminApi.Caller(http), http.RequestAborted))))
            .WithSummary("Removes every factor of the user, forgets their browsers and revokes their authorizations and tokens (audited); they enroll again at their next login. Body: {\"confirm\": true}.");
        api.MapPost("/users/{id}/forget-browsers", (string id, HttpContext http, UserDirectory users, UserSupport support) =>
            ConfirmedAsync(id, http, users, async user =>
                Results.Ok(new { forgotten = await support.ForgetBrowsersAsync(AdminApi.Tenant(http), user, AdminApi.Caller(http), http.RequestAborted) })))
            .WithSummary("Revokes every remembered browser of the user (audited): each asks for MFA again. Body: {\"confirm\": true}.");
    }

    private static async Task<IResult> ConfirmedAsync(string id, HttpContext http, UserDirectory users, Func<Storage.UserRecord, Task<IResult>> act)
    {
        var (body, problem) = await JsonBody.ReadAsync<Confirmation>(http.Request, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        if (!body!.Confirm)
        {
            return ApiProblems.Invalid([new FieldError("confirm", "must be true: this changes how the user signs in")]);
        }

        return await users.FindAsync(AdminApi.Tenant(http), id, http.RequestAborted) is { } user ? await act(user) : NoUser(id);
    }

    private static IResult NoUser(string id) => ApiProblems.NotFound($"No user '{id}' in this tenant.");

    private sealed record Confirmation(bool Confirm);
}
