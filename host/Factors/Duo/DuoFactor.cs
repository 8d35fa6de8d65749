using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Factors.Duo;

/// <summary>
/// Duo Security through its Universal Prompt (README, "Duo"), as Auth0 offers it: the tenant's only factor when enabled.
/// Duo holds the users' devices and enrolls them in its own prompt, so every user of a tenant that enables Duo counts as
/// enrolled. The challenge checks Duo's health (down: the login is denied; Duo fails closed), sends the
/// browser to Duo with a signed request and a single-use <c>state</c> bound to the transaction, and at the callback takes
/// the state, exchanges Duo's code and checks the <c>id_token</c> (<see cref="DuoClient"/>). Its own audit events:
/// <c>mfa.duo-*</c> (<see cref="DuoAuditEvents"/>).
/// </summary>
public sealed class DuoFactor : IFactorCallback, IFactorServices
{
    private const string StartAction = "start";
    private const string NotConfigured = "Duo is not set up correctly for this sign-in, so it cannot be completed. Contact your administrator.";

    public string Type => FactorType.Duo;

    /// <summary>A pass adds only <c>mfa</c>: which of the user's Duo devices answered is Duo's business.</summary>
    public IReadOnlyList<string> AmrValues { get; } = [];

    public string ChallengePart => "/Factors/Duo/_Challenge.cshtml";

    /// <summary>None: Duo enrolls users in its own prompt.</summary>
    public string? EnrollPart => null;

    public string RemovedNoun => "pending Duo sign-in(s)";

    public string CallbackPath => "/" + CallbackRoute;

    private const string CallbackRoute = "mfa/duo/callback";

    public static void AddServices(IServiceCollection services)
    {
        services.AddScoped<DuoStates>();
        services.AddScoped<DuoSecrets>();
        services.AddScoped<Admin.IWriteOnlySettings>(provider => provider.GetRequiredService<DuoSecrets>());
        services.AddSingleton<DuoClient>();
        services.AddOptions<DuoOptions>().BindConfiguration(DuoOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // Tenant admins and rules choose Duo's host: only a public address is connected to (unless the operator allows more).
        services.AddHttpClient(DuoClient.HttpClientName, client => client.Timeout = DuoClient.Timeout)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var allowPrivate = provider.GetRequiredService<IOptions<DuoOptions>>().Value.AllowPrivateNetwork;
                return new SocketsHttpHandler { ConnectCallback = (context, token) => Phone.WebhookAddressGuard.ConnectAsync(context, allowPrivate, token) };
            });
        // The challenge page serves the callback too, never used for its links. PostConfigure: AddRazorPages' own set-up
        // creates the conventions afresh.
        services.PostConfigure<RazorPagesOptions>(options => options.Conventions.AddPageRouteModelConvention("/Mfa/Challenge", page =>
            page.Selectors.Add(new SelectorModel { AttributeRouteModel = new AttributeRouteModel { Template = CallbackRoute, SuppressLinkGeneration = true } })));
    }

    public async Task<IReadOnlyList<FactorEnrollment>> EnrollmentsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken)
    {
        var tenant = await database.Tenants.AsNoTracking().SingleOrDefaultAsync(record => record.Id == user.TenantId, cancellationToken);
        return tenant is not null && TenantSettings.Parse(tenant.SettingsJson).EnabledFactors.Contains(Type)
            ? [new FactorEnrollment(Type, Provider: MfaProvider.Duo)]
            : [];
    }

    /// <summary>Duo's enrollments are Duo's: only the user's pending trips to Duo are removed here.</summary>
    public async Task<int> RemoveAllAsync(RulesMfaDbContext database, string userId, CancellationToken cancellationToken) =>
        await DuoStates.RemoveAllAsync(database, userId, cancellationToken);

    /// <summary>No secret is typed here: Duo checks the user, and limits attempts itself.</summary>
    public FactorActions ChallengeActions { get; } = FactorActions.Of([], StartAction);

    public Task<object?> PrepareChallengeAsync(FactorStep step, object? state, CancellationToken cancellationToken) => Task.FromResult(state);

    /// <summary>"Continue with Duo": the health check, then the trip to Duo with a new state.</summary>
    public async Task<FactorResult> ChallengeAsync(FactorStep step, string action, CancellationToken cancellationToken)
    {
        if (await ConnectionAsync(step, cancellationToken) is not { } duo)
        {
            return new FactorResult.Unavailable(NotConfigured);
        }

        var client = step.Services.GetRequiredService<DuoClient>();
        if (!await client.IsHealthyAsync(duo, cancellationToken))
        {
            step.Logger.DuoUnavailable(step.User.Id, step.User.TenantId, duo.ApiHost);
            return new FactorResult.Unavailable("Duo, which verifies your sign-in, cannot be reached right now, so this sign-in cannot be completed. Try again in a few minutes.");
        }

        var state = await step.Services.GetRequiredService<DuoStates>().IssueAsync(step.User.Id, step.Transaction.RequestHash, cancellationToken);
        step.Logger.DuoRedirected(step.User.Id, step.User.TenantId, duo.ApiHost, duo.Username);
        return new FactorResult.Redirect(client.AuthorizeUrl(duo, state, RedirectUri(step)));
    }

    /// <summary>Duo's answer: the state taken (single use, this transaction's), then the code exchanged and the token checked.</summary>
    public async Task<FactorResult> CallbackAsync(FactorStep step, CancellationToken cancellationToken)
    {
        var query = step.Http.Request.Query;
        var refusal = await step.Services.GetRequiredService<DuoStates>().TakeAsync(query["state"], step.User.Id, step.Transaction.RequestHash, cancellationToken);
        if (refusal is not null)
        {
            step.Logger.DuoStateRefused(step.User.Id, step.User.TenantId, step.ClientIp, refusal);
            return new FactorResult.Failed("This answer from Duo does not belong to this sign-in or was already used. Continue with Duo again.");
        }

        var code = query["duo_code"].FirstOrDefault() ?? query["code"].FirstOrDefault();
        if (string.IsNullOrEmpty(code))
        {
            step.Logger.DuoAnswerInvalid(step.User.Id, step.User.TenantId, $"no code in Duo's answer (Duo's error: {query["error"].FirstOrDefault() ?? "none"})");
            return new FactorResult.Failed("Duo did not verify this sign-in. Continue with Duo again.");
        }

        if (await ConnectionAsync(step, cancellationToken) is not { } duo)
        {
            return new FactorResult.Unavailable(NotConfigured);
        }

        switch (await step.Services.GetRequiredService<DuoClient>().ExchangeAsync(duo, code, RedirectUri(step), cancellationToken))
        {
            case DuoVerdict.Allowed:
                return new FactorResult.Passed([]);
            case DuoVerdict.Denied denied:
                step.Logger.DuoDenied(step.User.Id, step.User.TenantId, denied.Status);
                return new FactorResult.Failed("Duo did not verify this sign-in. If it was you, continue with Duo again; if not, someone knows your password: change it.");
            case DuoVerdict.WrongUser:
                step.Logger.DuoUserMismatch(duo.Username, step.User.Id, step.User.TenantId);
                return new FactorResult.Failed("Duo answered for another user than the one signing in, so the answer was refused. Continue with Duo again.");
            case DuoVerdict.Invalid invalid:
                step.Logger.DuoAnswerInvalid(step.User.Id, step.User.TenantId, invalid.Reason);
                return new FactorResult.Failed("Duo's answer could not be confirmed. Continue with Duo again.");
            default:
                throw new InvalidOperationException("Unexpected Duo verdict.");
        }
    }

    /// <summary>Where Duo sends the browser back: fixed per tenant, as Duo's application settings require.</summary>
    private string RedirectUri(FactorStep step) => step.PublicBaseUrl + CallbackPath;

    private static async Task<DuoConnection?> ConnectionAsync(FactorStep step, CancellationToken cancellationToken)
    {
        var secret = await step.Services.GetRequiredService<DuoSecrets>().ReadAsync(step.User.TenantId, cancellationToken);
        var (connection, problem) = DuoConnection.Resolve(step.Settings.Duo, secret, step.Transaction.Multifactor, step.User);
        if (problem is not null)
        {
            step.Logger.DuoNotConfigured(step.User.Id, step.User.TenantId, problem);
        }

        return connection;
    }
}
