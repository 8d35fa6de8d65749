using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RulesMfa.Host.Login;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// What the MFA pages share: they work only for a signed-in user whose login the rules sent to MFA (a pending
/// <see cref="MfaTransaction"/>), and completing MFA starts a new session (no fixation).
/// </summary>
public abstract class MfaPageModel(RulesMfaDbContext database, TimeProvider clock, CodeAttempts attempts, ILogger logger) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; protected set; }

    /// <summary>A recovery code just issued: shown once, on this response only.</summary>
    public string? NewRecoveryCode { get; protected set; }

    protected LoginSession Session { get; private set; } = null!;

    protected MfaTransaction Transaction { get; private set; } = null!;

    protected UserRecord CurrentUser { get; private set; } = null!;

    /// <summary>The factors this host can challenge with and enroll.</summary>
    private static readonly string[] ServedFactors = ["otp", "email"];

    protected string? ClientIp => HttpContext.Connection.RemoteIpAddress?.ToString();

    /// <summary>The plan's factors this host serves, in the plan's order (most secure first).</summary>
    public IReadOnlyList<string> Offered => Transaction is null ? [] : Transaction.Factors.Where(ServedFactors.Contains).ToList();

    /// <summary>An email code was just sent; the page asks for it.</summary>
    public bool EmailSent { get; protected set; }

    /// <summary>How long "remember this browser" lasts in this tenant.</summary>
    public int RememberBrowserDays { get; private set; } = 30;

    /// <summary>Where the user goes next: the enrollment that follows a passed challenge, else back to the login.</summary>
    public string ContinueUrl => Transaction is { Enroll: true, Completed: false } ? Url.Page("/Mfa/Enroll", new { ReturnUrl })!
        : ReturnUrl is not null && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : $"{Request.PathBase}/";

    /// <summary>Loads the session and the pending MFA; false when there is none (the page shows an expiry message).</summary>
    protected async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var tenant = TenantContext.Required(HttpContext).Id;
        var session = LoginSession.From((await HttpContext.AuthenticateAsync(SessionSchemes.Session)).Principal);
        var transaction = MfaTransaction.From((await HttpContext.AuthenticateAsync(SessionSchemes.Mfa)).Principal);
        var user = session is null ? null : await database.Users.FindAsync([session.UserId], cancellationToken);
        if (session is null || transaction is null || user is null || user.TenantId != tenant || transaction.UserId != user.Id)
        {
            Error = "Your sign-in has expired. Go back to the application and sign in again.";
            return false;
        }

        (Session, Transaction, CurrentUser) = (session, transaction, user);
        var tenantRecord = await database.Tenants.FindAsync([tenant], cancellationToken);
        RememberBrowserDays = TenantSettings.Parse(tenantRecord!.SettingsJson).RememberBrowserDays;
        return true;
    }

    /// <summary>
    /// Takes one attempt from the user's bucket before a code is checked (shared by every code factor and the
    /// recovery code); false, with the page's message set, when none is left.
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
        return false;
    }

    /// <summary>Notes the outcome of sending an email code: the code form, or the hourly limit's message.</summary>
    protected void RecordEmailSent(EmailSendResult result)
    {
        EmailSent = result is EmailSendResult.Sent;
        Error = EmailSent ? null : "Too many codes were sent. Wait a while and try again.";
        if (EmailSent)
        {
            logger.ChallengeSent(CurrentUser.Id, CurrentUser.TenantId, "email");
        }
    }

    /// <summary>A right code does not cost an attempt.</summary>
    protected Task RefundAttemptAsync(CancellationToken cancellationToken) => attempts.RefundAsync(CurrentUser.Id, cancellationToken);

    /// <summary>Set when the request was for a factor this step does not offer (<see cref="Refuse"/>).</summary>
    public bool Refused { get; private set; }

    /// <summary>Set when the user ran out of attempts: the page shows only the message.</summary>
    public bool TooManyAttempts { get; private set; }

    /// <summary>
    /// Records that the user passed a challenge with <paramref name="method"/>: MFA is done, unless the transaction goes on
    /// to an enrollment (<see cref="MfaTransaction.ThenEnroll"/>); false in that case.
    /// </summary>
    protected async Task<bool> PassedChallengeAsync(string method)
    {
        if (Transaction.ThenEnroll.Count == 0)
        {
            await CompleteAsync(method);
            return true;
        }

        await SaveTransactionAsync(Transaction.EnrollAfter(method));
        return false;
    }

    /// <summary>Moves the transaction on: this request's model and the MFA cookie.</summary>
    protected async Task SaveTransactionAsync(MfaTransaction transaction)
    {
        Transaction = transaction;
        await HttpContext.SignInAsync(SessionSchemes.Mfa, Transaction.ToPrincipal());
    }

    /// <summary>
    /// Records that MFA was done with <paramref name="method"/> (after the challenge passed in this transaction, if any):
    /// a new session, and the pending login marked complete.
    /// </summary>
    protected async Task CompleteAsync(string method)
    {
        var methods = Transaction.ProvedWith is { } proved ? new[] { proved, method } : [method];
        var session = Session.AfterMfa(methods, clock.GetUtcNow());
        await HttpContext.SignInAsync(SessionSchemes.Session, session.ToPrincipal());
        await SaveTransactionAsync(Transaction with { CompletedWith = method });
    }

    /// <summary>Refuses a code or an action for a factor the current step of the transaction does not offer.</summary>
    protected void Refuse(string factor, string why)
    {
        Refused = true;
        logger.FactorRefused(CurrentUser.Id, CurrentUser.TenantId, factor, ClientIp, why);
        Error = why;
    }
}
