using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Login;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Host.Telemetry;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// What the MFA pages share: they work only for a signed-in user whose login the rules sent to MFA (a pending
/// <see cref="MfaTransaction"/>), they offer only the registered factors of the current step, and completing MFA starts a
/// new session (no fixation).
/// </summary>
public abstract class MfaPageModel(RulesMfaDbContext database, TimeProvider clock, CodeAttempts attempts, MfaFactors factors, TenantBranding branding, ILogger logger)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The factor a form posts for, or a link asks for.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Factor { get; set; }

    /// <summary>What the factor's form asks of it (<c>send</c>, <c>verify</c>); the factor knows its own.</summary>
    [BindProperty]
    public string? FactorAction { get; set; }

    public string? Error { get; protected set; }

    /// <summary>A recovery code just issued: shown once, on this response only.</summary>
    public string? NewRecoveryCode { get; protected set; }

    private bool holdingConnection;

    // When the MFA cookie read by LoadAsync expires: a step saves the transaction with it (SaveTransactionAsync).
    private DateTimeOffset? transactionExpires;

    protected LoginSession Session { get; private set; } = null!;

    protected MfaTransaction Transaction { get; private set; } = null!;

    protected UserRecord CurrentUser { get; private set; } = null!;

    protected TenantSettings Settings { get; private set; } = null!;

    protected MfaFactors Factors => factors;

    protected string? ClientIp => HttpContext.Connection.RemoteIpAddress?.ToString();

    /// <summary>The plan's factors this host serves, in the plan's order (most secure first).</summary>
    public IReadOnlyList<IMfaFactor> Offered => Transaction is null ? [] : Transaction.Factors.Select(factors.Find).OfType<IMfaFactor>().ToList();

    /// <summary>What the current factor's part shows (prepared by the factor).</summary>
    public object? View { get; protected set; }

    /// <summary>How long "remember this browser" lasts in this tenant.</summary>
    public int RememberBrowserDays { get; private set; } = 30;

    public bool RememberBrowserAllowed => Transaction?.RememberBrowserAllowed == true;

    /// <summary>This enrollment is offered, not demanded: the page lets the user skip it.</summary>
    public bool Optional => Transaction?.Optional == true;

    /// <summary>Where the user goes next: the enrollment that follows a passed challenge, else back to the login.</summary>
    public string ContinueUrl => Transaction is { Enroll: true, Completed: false } ? Url.Page("/Mfa/Enroll", new { ReturnUrl })!
        : TenantReturnUrl.Resolve(ReturnUrl, Request);


    /// <summary>Set when the request was for a factor this step does not offer (<see cref="Refuse"/>).</summary>
    public bool Refused { get; private set; }

    /// <summary>Set when the user ran out of attempts: the page shows only the message.</summary>
    public bool TooManyAttempts { get; private set; }

    /// <summary>Loads the session and the pending MFA; false when there is none (the page shows an expiry message).</summary>
    protected async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var tenant = TenantContext.Required(HttpContext).Id;
        var session = LoginSession.From((await HttpContext.AuthenticateAsync(SessionSchemes.Session)).Principal);
        var mfaCookie = await HttpContext.AuthenticateAsync(SessionSchemes.Mfa);
        var transaction = MfaTransaction.From(mfaCookie.Principal);
        transactionExpires = mfaCookie.Properties?.ExpiresUtc;
        // The user and their tenant in one round trip (the tenant's settings and branding are this page's too); tracked, as
        // a later lookup of the user in this request (the factors already enrolled) finds it without a query.
        var found = session is null ? null : await database.Users
            .Where(user => user.Id == session.UserId && user.TenantId == tenant)
            .Join(database.Tenants, user => user.TenantId, record => record.Id, (user, record) => new { User = user, Tenant = record })
            .SingleOrDefaultAsync(cancellationToken);
        if (session is null || transaction is null || found is null || transaction.UserId != found.User.Id || !session.IsCurrentFor(found.User))
        {
            Error = "Your sign-in has expired. Go back to the application and sign in again.";
            return false;
        }

        if (transaction.Refusal is not null)
        {
            // A login that cannot be completed offers no factor at all, even one this host serves.
            Error = "This sign-in cannot be completed. Go back to the application.";
            return false;
        }

        (Session, Transaction, CurrentUser) = (session, transaction, found.User);
        branding.Remember(found.Tenant);
        Settings = TenantSettings.Parse(found.Tenant.SettingsJson);
        RememberBrowserDays = Settings.RememberBrowserDays;
        return true;
    }

    /// <summary>
    /// Keeps this request's database connection open until <see cref="ReleaseConnectionAsync"/> or the end of the request
    /// (the scoped context closes it): the statements that follow share one pooled connection instead of renting one each.
    /// Only while nothing calls out of the process (a sender, a factor's service): a slow call would hold the connection.
    /// </summary>
    protected async Task HoldConnectionAsync(CancellationToken cancellationToken)
    {
        await database.Database.OpenConnectionAsync(cancellationToken);
        holdingConnection = true;
    }

    /// <summary>
    /// Ends <see cref="HoldConnectionAsync"/>; later statements rent a connection each again. Does nothing when none is
    /// held, so it never closes a connection something else opened (a factor's own transaction).
    /// </summary>
    protected async Task ReleaseConnectionAsync()
    {
        if (holdingConnection)
        {
            holdingConnection = false;
            await database.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The step a factor works in.</summary>
    protected async Task<FactorStep> StepAsync() =>
        new(HttpContext, CurrentUser, Transaction, Settings, (await branding.ForAsync(HttpContext)).Name, SaveTransactionAsync, logger);

    /// <summary>
    /// Takes one attempt from the user's bucket before a secret is checked (shared by every factor and the recovery
    /// code); false, with the page's message set, when none is left.
    /// </summary>
    protected async Task<bool> TakeAttemptAsync(CancellationToken cancellationToken)
    {
        if (await attempts.TryTakeAsync(CurrentUser.Id, cancellationToken))
        {
            return true;
        }

        var retryAfter = await attempts.RetryAfterAsync(CurrentUser.Id, cancellationToken) ?? TimeSpan.FromMinutes(6);
        TooManyAttempts = true;
        Error = $"Too many attempts. Wait {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes))} minute(s) and try again.";
        logger.TooManyAttempts(CurrentUser.Id, CurrentUser.TenantId, ClientIp);
        RulesMfaMetrics.MfaAttemptsExhausted(CurrentUser.TenantId);
        return false;
    }

    /// <summary>A right secret does not cost an attempt.</summary>
    protected Task RefundAttemptAsync(CancellationToken cancellationToken) => attempts.RefundAsync(CurrentUser.Id, cancellationToken);

    /// <summary>
    /// Records that the user passed a challenge earning <paramref name="amr"/>: MFA is done, unless the transaction goes on
    /// to an enrollment (<see cref="MfaTransaction.ThenEnroll"/>, or a factor's progressive offer); false in that case.
    /// </summary>
    protected async Task<bool> PassedChallengeAsync(IReadOnlyList<string> amr, CancellationToken cancellationToken)
    {
        if (Transaction.ThenEnroll.Count > 0)
        {
            await SaveTransactionAsync(Transaction.EnrollAfter(amr));
            return false;
        }

        var offers = await ProgressiveOffersAsync(cancellationToken);
        if (offers.Count > 0)
        {
            await SaveTransactionAsync(Transaction.EnrollAfter(amr) with { Factors = offers, Optional = true });
            return false;
        }

        await CompleteAsync(amr);
        return true;
    }

    /// <summary>
    /// Records that MFA was done earning <paramref name="amr"/> (after the challenge passed in this transaction, if any):
    /// a new session, and the pending login marked complete.
    /// </summary>
    protected async Task CompleteAsync(IReadOnlyList<string> amr)
    {
        var methods = (Transaction.ProvedWith ?? []).Union(amr).ToList();
        var session = Session.AfterMfa(methods, clock.GetUtcNow());
        await HttpContext.SignInAsync(SessionSchemes.Session, session.ToPrincipal());
        await SaveTransactionAsync(Transaction with { CompletedWith = string.Join(' ', methods) });
    }

    /// <summary>
    /// Moves the transaction on: this request's model and the MFA cookie, which keeps the expiry it got when MFA began. A
    /// step that renewed it would let a user who keeps acting (a push sent again, a challenge before an enrollment) hold
    /// the rules' decision of that moment for as long as they liked, past any rule changed since.
    /// </summary>
    protected async Task SaveTransactionAsync(MfaTransaction transaction)
    {
        Transaction = transaction;
        await HttpContext.SignInAsync(SessionSchemes.Mfa, Transaction.ToPrincipal(), new AuthenticationProperties { ExpiresUtc = transactionExpires });
    }

    /// <summary>
    /// None of the step's factors is served here (settings saved before this server stopped serving one): the login ends on
    /// the page that says so in words, and the application gets <c>access_denied</c> when the user goes back.
    /// </summary>
    protected async Task<IActionResult> UnavailableAsync()
    {
        var names = string.Join(", ", Transaction.Factors.Select(factors.DisplayNameOf));
        await SaveTransactionAsync(Transaction with { Refusal = $"This sign-in needs {names}, which this server does not offer." });
        logger.FactorsUnavailable(CurrentUser.Id, CurrentUser.TenantId, string.Join(",", Transaction.Factors));
        return Redirect(Url.Page("/Mfa/Unavailable", new { ReturnUrl })!);
    }

    /// <summary>A post whose action the factor's part does not post: refused before the factor sees it, so no code is checked outside the bucket.</summary>
    protected const string UnknownActionMessage = "This page did not send that request. Use the buttons on this page.";

    /// <summary>Refuses a secret or an action for a factor the current step of the transaction does not offer.</summary>
    protected void Refuse(string factor, string why)
    {
        Refused = true;
        logger.FactorRefused(CurrentUser.Id, CurrentUser.TenantId, factor, ClientIp, why);
        Error = why;
    }

    /// <summary>The enabled factors that offer themselves after a challenge (device biometrics on a device without them).</summary>
    private async Task<IReadOnlyList<string>> ProgressiveOffersAsync(CancellationToken cancellationToken)
    {
        var offers = new List<string>();
        var step = await StepAsync();
        foreach (var factor in factors.All.Where(factor => Settings.EnabledFactors.Contains(factor.Type) && factor.EnrollPart is not null))
        {
            if (await factor.OffersAfterChallengeAsync(step, cancellationToken))
            {
                offers.Add(factor.Type);
            }
        }

        return FactorType.OfferableBySecurity(offers);
    }
}
