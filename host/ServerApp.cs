using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Login;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.MfaApi;
using RulesMfa.Host.Oidc;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Telemetry;
using RulesMfa.Host.Tenants;
using Serilog;

namespace RulesMfa.Host;

/// <summary>The server: a multi-tenant OpenID Connect provider whose tenants' rules decide MFA on every login.</summary>
public static class ServerApp
{
    /// <summary>Where the server listens when nothing else is configured.</summary>
    public const string DefaultUrl = "http://localhost:5000";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Host.UseSerilog((context, logger) =>
        {
            logger.ReadFrom.Configuration(context.Configuration)
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", Serilog.Events.LogEventLevel.Information)
                .MinimumLevel.Override("OpenIddict", Serilog.Events.LogEventLevel.Warning)
                .Enrich.FromLogContext()
                // A busy port is told in one line by RunAsync, not as the host's error with its stack trace.
                .Filter.ByExcluding(logEvent => AddressInUse.Is(logEvent.Exception))
                // One line per event, whatever a rule's error or a template's failure holds (Telemetry/ConsoleLogFormatter).
                .WriteTo.Console(new Telemetry.ConsoleLogFormatter());

            // Server:LogFile: every event also as one JSON object per line, for a log shipper (and the tests' secret scan).
            if (context.Configuration["Server:LogFile"] is { Length: > 0 } logFile)
            {
                // Owner-only before Serilog opens it (for appending, which keeps the mode): it holds users' ids and addresses.
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
                OwnerOnlyFiles.CreateOrNarrow(logFile);
                logger.WriteTo.File(new Serilog.Formatting.Compact.CompactJsonFormatter(), logFile);
            }
        });
        // Every body, chunked or not, stops at the largest any endpoint takes (an admin API call).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes);
        configure?.Invoke(builder);

        var services = builder.Services;
        var dataFolder = DataFolder.From(builder.Configuration);
        services.AddSingleton(dataFolder);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new RuleCircuitBreaker(provider.GetRequiredService<TimeProvider>()));
        services.AddRulesMfaStorage(builder.Configuration, dataFolder);
        services.AddSingleton<TenantCatalog>();
        services.AddSandboxBounds(builder.Configuration);
        services.AddScoped<TenantRules>();
        services.AddSingleton<PipelineCache>();
        services.AddScoped<TenantBranding>();
        services.AddSingleton<Branding.BrandedLayout>();
        services.AddScoped<DemoTenantSeeder>();
        services.AddRulesMfaOidcServer(builder.Configuration);
        services.AddAuthorizationEndpoints();
        services.AddMfaApi();
        services.AddAdminApi();
        services.AddOpenApi();
        services.AddRulesMfaMetrics(builder.Configuration);
        services.AddRulesMfaLogin(builder.Configuration);
        services.AddRulesMfaFactors(builder.Configuration, dataFolder.Path);
        services.AddRazorPages(pages => pages.RootDirectory = "/Pages").AddApplicationPart(typeof(ServerApp).Assembly);
        var trustedProxies = builder.Configuration.GetSection("Server:TrustedProxies").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            // X-Forwarded-For is honoured only from the proxies listed in Server:TrustedProxies.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in trustedProxies)
            {
                options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });

        var app = builder.Build();
        app.UseSecurityHeaders();
        if (trustedProxies.Length > 0)
        {
            // Not without a list: with no known proxy the middleware would believe any client's header.
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<TenantPathMiddleware>();
        app.UseMiddleware<AuditContextMiddleware>();
        app.UseExceptionHandler("/error");
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/admin/assets",
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "console-assets")),
        });
        app.UseRouting();
        app.UseStatusCodePagesWithReExecute("/error", "?status={0}");
        app.UseMiddleware<OidcFormLimitMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/health", () => Results.Ok(new { status = "healthy" }));
        app.MapReadiness();
        app.MapRulesMfaMetrics(app.Configuration);
        app.MapAuthorizationEndpoints();
        app.MapMfaApi();
        app.MapAdminApi();
        app.MapAdminSignIn();
        app.MapFactorEndpoints();
        app.MapOpenApi();
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// Creates or migrates the database, seeds the demo tenant and warms the rule sandbox, saying what it does (a first start
    /// takes seconds); warns when the key ring is unencrypted.
    /// </summary>
    public static async Task InitializeAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var startup = loggers.CreateLogger("RulesMfa.Startup");
        KeyRingProtection.WarnWhenUnencrypted(app.Configuration, loggers.CreateLogger(typeof(KeyRingProtection)));
        await using var scope = app.Services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<RulesMfaDbContext>().Database;
        var applied = (await database.GetAppliedMigrationsAsync(cancellationToken)).Count();
        var pending = (await database.GetPendingMigrationsAsync(cancellationToken)).Count();
        if (applied == 0)
        {
            startup.LogInformation("First start: creating the database in {DataFolder} ({Migrations} migrations)", app.Services.GetRequiredService<DataFolder>().Path, pending);
        }
        else if (pending > 0)
        {
            startup.LogInformation("Updating the database: {Migrations} migrations", pending);
        }

        await DatabaseMigrations.MigrateAsync(database, cancellationToken);
        await scope.ServiceProvider.GetRequiredService<DemoTenantSeeder>().SeedAsync(cancellationToken);
        startup.LogInformation("Warming up the rule sandbox");
        _ = new RulePipeline([]);
        if (applied == 0)
        {
            startup.LogInformation("Ready: tenant {TenantId}'s console is at /{TenantId}/admin, its discovery at /{TenantId}/.well-known/openid-configuration",
                DemoTenantSeeder.TenantId, DemoTenantSeeder.TenantId, DemoTenantSeeder.TenantId);
        }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (InvalidSettingException invalid)
        {
            await Console.Error.WriteLineAsync($"rulesmfa: {invalid.Message}");
            return 2;
        }

        var folder = app.Services.GetRequiredService<DataFolder>();
        if (await DatabaseReachability.ProblemAsync(DatabaseTarget.From(app.Configuration, folder), folder, CancellationToken.None) is { } unreachable)
        {
            await Console.Error.WriteLineAsync($"rulesmfa: {unreachable}");
            return 2;
        }

        await InitializeAsync(app);
        var urls = app.Configuration[WebHostDefaults.ServerUrlsKey];
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (IOException busy) when (AddressInUse.Is(busy))
        {
            await Console.Error.WriteLineAsync(
                $"rulesmfa: cannot listen on {urls}: the address is already in use (is another server running? choose another with --urls http://localhost:PORT)");
            return 2;
        }
    }
}
