using Microsoft.AspNetCore.Mvc;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Host.Telemetry;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// The MFA challenge: the most secure allowed and enrolled factor first, "try another method" for the others, and the
/// recovery code when the device is lost. Each post names its factor and is accepted only when the current step offers
/// it; a secret is checked only while the user has attempts left. Passing the challenge completes MFA, or moves on to the
/// enrollment the plan asks (or a factor offers) next.
/// </summary>
public sealed class ChallengeModel(
    RulesMfaDbContext database, TimeProvider clock, MfaFactors factors, TenantBranding branding, CodeAttempts attempts,
    RememberedBrowsers rememberedBrowsers, RememberedBrowserCookie rememberedBrowserCookie, ILogger<ChallengeModel> logger)
    : MfaPageModel(database, clock, attempts, factors, branding, logger)
{
    [BindProperty]
    public bool RememberBrowser { get; set; }

    public bool Ready { get; private set; }

    public bool RecoveryCodeAllowed => Transaction?.RecoveryCodeAllowed == true;

    /// <summary>The factor shown: the one asked for when the step offers it, else the most secure offered.</summary>
    public IMfaFactor? Current => Factor == FactorType.RecoveryCode && RecoveryCodeAllowed ? Fallback
        : Offered.FirstOrDefault(factor => factor.Type == Factor) ?? Offered.FirstOrDefault();

    /// <summary>The "lost your device" factor, when this step allows it.</summary>
    public IMfaFactor? Fallback => RecoveryCodeAllowed ? Factors.Find(FactorType.RecoveryCode) : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        if (Transaction.Enroll)
        {
            return RedirectToPage("/Mfa/Enroll", new { ReturnUrl });
        }

        if (Factors.All.OfType<IFactorCallback>().FirstOrDefault(factor => Request.Path.Equals(factor.CallbackPath, StringComparison.OrdinalIgnoreCase)) is { } returning)
        {
            return await ReturnedAsync(returning, cancellationToken);
        }

        return await ShowAsync(null, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // A code's check (the user, the attempt bucket, the factor's read and single-use update, the refund) on one
        // connection; a check calls nothing outside (FactorActions), and ShowAsync releases it before a factor prepares a page.
        if (Factors.Find(Factor)?.ChallengeActions.ChecksSecret(FactorAction ?? "") == true)
        {
            await HoldConnectionAsync(cancellationToken);
        }

        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        var action = FactorAction ?? "";
        var factor = Accepts(Factor ?? "");
        if (factor is not null && !factor.ChallengeActions.Knows(action))
        {
            Refuse(factor.Type, UnknownActionMessage);
            factor = null;
        }

        if (factor is null || (factor.ChallengeActions.ChecksSecret(action) && !await TakeAttemptAsync(cancellationToken)))
        {
            return await ShowAsync(null, cancellationToken);
        }

        return await HandleAsync(factor, action, await factor.ChallengeAsync(await StepAsync(), action, cancellationToken), cancellationToken);
    }

    private async Task<IActionResult> HandleAsync(IMfaFactor factor, string action, FactorResult result, CancellationToken cancellationToken)
    {
        switch (result)
        {
            case FactorResult.Passed passed:
                return await SucceedAsync(factor, action, passed, cancellationToken);
            case FactorResult.Failed failed:
                logger.MfaFailed(CurrentUser.Id, CurrentUser.TenantId, factor.Type, ClientIp);
                RulesMfaMetrics.MfaFailed(CurrentUser.TenantId, factor.Type);
                Error = failed.Message;
                return await ShowAsync(failed.State, cancellationToken);
            case FactorResult.Pending pending:
                Error = pending.Message;
                return await ShowAsync(pending.State, cancellationToken);
            case FactorResult.Redirect redirect:
                // The page's own choices must survive the trip to the factor's service and back to its callback.
                await SaveTransactionAsync(Transaction with
                {
                    FactorState = new Dictionary<string, string>(Transaction.FactorState) { [ReturnUrlKey] = ReturnUrl ?? "", [RememberKey] = RememberBrowser ? "true" : "" },
                });
                return Redirect(redirect.Url);
            case FactorResult.Unavailable unavailable:
                await SaveTransactionAsync(Transaction with { Refusal = unavailable.Description, Outage = true });
                return Redirect(Url.Page("/Mfa/Unavailable", new { ReturnUrl })!);
            default:
                throw new InvalidOperationException($"Unexpected factor result {result.GetType().Name}.");
        }
    }

    /// <summary>The factor's service sent the browser back: handled as a post of that factor, with the page's choices from before the trip.</summary>
    private async Task<IActionResult> ReturnedAsync(IFactorCallback factor, CancellationToken cancellationToken)
    {
        ReturnUrl = Transaction.FactorState.GetValueOrDefault(ReturnUrlKey);
        RememberBrowser = Transaction.FactorState.GetValueOrDefault(RememberKey) == "true";
        if (Accepts(factor.Type) is null)
        {
            return await ShowAsync(null, cancellationToken);
        }

        return await HandleAsync(factor, "", await factor.CallbackAsync(await StepAsync(), cancellationToken), cancellationToken);
    }

    private const string ReturnUrlKey = "page.returnUrl";
    private const string RememberKey = "page.remember";

    /// <summary>
    /// The factor when the current step is this challenge (not yet passed) and offers <paramref name="type"/>; otherwise
    /// null, the page says so, and nothing is checked or sent.
    /// </summary>
    private IMfaFactor? Accepts(string type)
    {
        Ready = true;
        var offered = type == FactorType.RecoveryCode ? Fallback : Offered.FirstOrDefault(factor => factor.Type == type);
        if (!Transaction.Enroll && !Transaction.Completed && offered is not null)
        {
            return offered;
        }

        Refuse(type, $"This sign-in does not accept a code of this kind ({Factors.DisplayNameOf(type).ToLowerInvariant()}). Use one of the ways shown on this page.");
        return null;
    }

    private async Task<IActionResult> SucceedAsync(IMfaFactor factor, string action, FactorResult.Passed passed, CancellationToken cancellationToken)
    {
        if (factor.ChallengeActions.ChecksSecret(action))
        {
            await RefundAttemptAsync(cancellationToken);
        }

        // The check is over; what follows runs factors' code (a factor offered after this one), so not on the held connection.
        await ReleaseConnectionAsync();
        await PassedChallengeAsync(passed.Amr, cancellationToken);
        logger.MfaSucceeded(CurrentUser.Id, CurrentUser.TenantId, factor.Type, ClientIp);
        RulesMfaMetrics.MfaSucceeded(CurrentUser.TenantId, factor.Type);
        if (RememberBrowser && RememberBrowserAllowed)
        {
            await RememberThisBrowserAsync(cancellationToken);
        }

        if (passed.RecoveryCodeToShow is { } code)
        {
            NewRecoveryCode = code;
            return Page();
        }

        return LocalRedirect(ContinueUrl);
    }

    private async Task<IActionResult> ShowAsync(object? state, CancellationToken cancellationToken)
    {
        // Preparing a factor's part is the factor's own code, which may send (a push request on first view): not on the held connection.
        await ReleaseConnectionAsync();
        if (Transaction is null)
        {
            return Page();
        }

        if (Current is not { } current)
        {
            return await UnavailableAsync();
        }

        Ready = true;
        Factor = current.Type;
        View = await current.PrepareChallengeAsync(await StepAsync(), state, cancellationToken);
        return Page();
    }

    private async Task RememberThisBrowserAsync(CancellationToken cancellationToken) =>
        rememberedBrowserCookie.Write(HttpContext,
            await rememberedBrowsers.RememberAsync(CurrentUser.Id, TimeSpan.FromDays(RememberBrowserDays), cancellationToken), TimeSpan.FromDays(RememberBrowserDays));
}
