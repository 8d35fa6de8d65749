using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Login;

/// <summary>Registers the login cookies and the password check.</summary>
public static class LoginServices
{
    public static IServiceCollection AddRulesMfaLogin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication(SessionSchemes.Session)
            .AddCookie(SessionSchemes.Session, options =>
            {
                options.Cookie.Name = "rulesmfa.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/login";
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = false;
            })
            .AddCookie(SessionSchemes.Mfa, options =>
            {
                options.Cookie.Name = "rulesmfa.mfa";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromMinutes(10);
                options.SlidingExpiration = false;
                options.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
            });
        services.AddSingleton<GeoIpLookup>();
        services.AddSingleton<IPasswordHasher<UserRecord>, PasswordHasher<UserRecord>>();
        services.AddScoped<PasswordLogin>();
        services.AddSingleton<KnownDevices>();
        services.AddScoped<PasswordLockout>();
        services.AddScoped<LoginContextFactory>();
        services.AddScoped<LoginDecisions>();
        services.AddScoped<DecisionLog>();
        return services;
    }
}
