using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace RulesMfa.SampleApp;

/// <summary>
/// A relying party that signs in through a RulesMfa tenant with the stock ASP.NET Core OpenIdConnect handler
/// (code flow, PKCE) and shows the ID token's claims. Configuration: <c>Oidc:Authority</c> (default the demo
/// tenant), <c>Oidc:ClientId</c> (default <c>demo-web</c>), <c>Oidc:ClientSecret</c> (required).
/// </summary>
public static class SampleApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://localhost:5002");
        }

        configure?.Invoke(builder);
        var oidc = builder.Configuration.GetSection("Oidc");
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(options =>
            {
                options.Authority = oidc["Authority"] ?? "http://localhost:5000/demo";
                options.ClientId = oidc["ClientId"] ?? "demo-web";
                options.ClientSecret = oidc["ClientSecret"] ?? throw new InvalidOperationException("Set Oidc:ClientSecret (Oidc__ClientSecret) to the demo client's secret.");
                options.RequireHttpsMetadata = false;
                options.ResponseType = OpenIdConnectResponseType.Code;

                // Plain http on localhost: the answer comes back as a top-level GET, so Lax cookies without Secure work.
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.UsePkce = true;
                options.SaveTokens = true;
                options.MapInboundClaims = false;
                options.ClaimActions.Remove("acr");
                options.ClaimActions.Remove("amr");
                options.Scope.Add("profile");
                options.Scope.Add("email");
                options.Scope.Add("offline_access");
                options.Events.OnRemoteFailure = context =>
                {
                    // An OAuth error from the provider (a rule denied, for instance): show it instead of a 500.
                    var message = context.Request.Query["error_description"].FirstOrDefault() ?? context.Failure?.Message ?? "unknown error";
                    context.Response.Redirect($"/error?code={Uri.EscapeDataString(context.Request.Query["error"].FirstOrDefault() ?? "")}&description={Uri.EscapeDataString(message)}");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
                options.Events.OnRedirectToIdentityProvider = async context =>
                {
                    // /login?stepup=1 asks for MFA with acr_values, as an app does for a sensitive action.
                    if (context.Properties.Items.TryGetValue("acr_values", out var acr) && acr is not null)
                    {
                        context.ProtocolMessage.AcrValues = acr;
                    }

                    if (context.Properties.Items.TryGetValue("max_age", out var maxAge) && maxAge is not null)
                    {
                        context.ProtocolMessage.MaxAge = maxAge;
                    }

                    if (context.Properties.Items.TryGetValue("prompt", out var prompt) && prompt is not null)
                    {
                        context.ProtocolMessage.Prompt = prompt;

                        // Re-authenticating whoever is signed in: the ID token tells the provider who that is.
                        context.ProtocolMessage.IdTokenHint = await context.HttpContext.GetTokenAsync("id_token");
                    }
                };
            });

        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/", (HttpContext http) => Results.Content(Page(http), "text/html; charset=utf-8"));
        app.MapGet("/login", (string? stepup, string? prompt, int? max_age) =>
        {
            var properties = new AuthenticationProperties { RedirectUri = "/" };
            if (prompt is "login" or "login consent")
            {
                properties.Items["prompt"] = prompt;
            }

            // /login?max_age=0: re-authenticate unless the last login is at most that many seconds old.
            if (max_age is >= 0)
            {
                properties.Items["max_age"] = max_age.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (stepup is "1" or "true")
            {
                properties.Items["acr_values"] = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
            }

            return Results.Challenge(properties, [OpenIdConnectDefaults.AuthenticationScheme]);
        });
        app.MapGet("/error", (string? code, string? description) => Results.Content(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in failed</title></head><body><main><h1>Sign-in failed</h1>" +
            $"<p id=\"error\">{WebUtility.HtmlEncode(code)}</p><p id=\"error-description\">{WebUtility.HtmlEncode(description)}</p><p><a href=\"/\">Back</a></p></main></body></html>",
            "text/html; charset=utf-8"));
        app.MapGet("/logout", () => Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));
        app.MapGet("/me.json", async (HttpContext http) =>
        {
            var idToken = await http.GetTokenAsync("id_token");
            return idToken is null
                ? Results.Unauthorized()
                : Results.Ok(new
                {
                    idToken = new JwtSecurityTokenHandler().ReadJwtToken(idToken).Payload,
                    refreshToken = await http.GetTokenAsync("refresh_token"),
                    accessToken = await http.GetTokenAsync("access_token"),
                });
        });
        return app;
    }

    private static string Page(HttpContext http)
    {
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>RulesMfa sample app</title></head><body><main><h1>RulesMfa sample app</h1>");
        if (http.User.Identity?.IsAuthenticated != true)
        {
            html.Append("<p>You are not signed in.</p><p><a href=\"/login\">Sign in</a> · <a href=\"/login?stepup=1\">Sign in with MFA (step-up)</a></p>");
        }
        else
        {
            html.Append("<p>Signed in. The ID token says:</p><table><thead><tr><th scope=\"col\">Claim</th><th scope=\"col\">Value</th></tr></thead><tbody>");
            foreach (var claim in http.User.Claims)
            {
                html.Append($"<tr><td>{WebUtility.HtmlEncode(claim.Type)}</td><td>{WebUtility.HtmlEncode(claim.Value)}</td></tr>");
            }

            html.Append("</tbody></table><p><a href=\"/login?stepup=1\">Step up with MFA</a> · <a href=\"/logout\">Sign out</a></p>");
        }

        return html.Append("</main></body></html>").ToString();
    }
}
