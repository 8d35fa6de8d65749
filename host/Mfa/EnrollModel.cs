using Microsoft.AspNetCore.Mvc;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Factors.RecoveryCode;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Host.Telemetry;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// Enrollment of a factor the step allows, through the factor's own page part. A user's first enrollment also issues the
/// recovery code, shown once; a later one keeps it. A user who already has a factor enrolls only after passing one of
/// theirs in this transaction, and the account's owner is told by email. An offered (progressive) enrollment can be skipped.
/// </summary>
public sealed class EnrollModel(
    RulesMfaDbContext database, TimeProvider clock, MfaFactors factors, RecoveryCodeService recoveryCodes, TenantBranding branding,
    CodeAttempts attempts, EnrolledFactors enrolledFactors, FactorAddedNotice notice, ILogger<EnrollModel> logger)
    : MfaPageModel(database, clock, attempts, factors, branding, logger)
{
    /// <summary>The posted action that declines an offered enrollment.</summary>
    public const string SkipAction = "skip";

    /// <summary>The factor shown: the one asked for when the step offers it, else the most secure offered.</summary>
    public IMfaFactor? Current => Offered.FirstOrDefault(factor => factor.Type == Factor) ?? Offered.FirstOrDefault();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        if (!Transaction.Enroll)
        {
            return RedirectToPage("/Mfa/Challenge", new { ReturnUrl });
        }

        if (Current is not { } current)
        {
            return await UnavailableAsync();
        }

        return await AcceptsAsync(current.Type, cancellationToken) is null ? Page() : await ShowAsync(current, null, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        var action = FactorAction ?? "";
        if (action == SkipAction && Transaction is { Optional: true, Completed: false, ProvedWith: { } proved })
        {
            await CompleteAsync(proved);
            return LocalRedirect(ContinueUrl);
        }

        var factor = await AcceptsAsync(Factor ?? "", cancellationToken);
        if (factor is not null && !factor.EnrollActions.Knows(action))
        {
            Refuse(factor.Type, UnknownActionMessage);
            return Page();
        }

        if (factor is null || (factor.EnrollActions.ChecksSecret(action) && !await TakeAttemptAsync(cancellationToken)))
        {
            return Page();
        }

        var result = await factor.EnrollAsync(await StepAsync(), action, cancellationToken);
        switch (result)
        {
            case FactorResult.Passed passed:
                return await EnrolledAsync(factor, action, passed.Amr, cancellationToken);
            case FactorResult.Failed failed:
                logger.MfaFailed(CurrentUser.Id, CurrentUser.TenantId, factor.Type, ClientIp);
                RulesMfaMetrics.MfaFailed(CurrentUser.TenantId, factor.Type);
                Error = failed.Message;
                return await ShowAsync(factor, failed.State, cancellationToken);
            case FactorResult.Pending pending:
                Error = pending.Message;
                return await ShowAsync(factor, pending.State, cancellationToken);
            default:
                throw new InvalidOperationException($"Unexpected factor result {result.GetType().Name}.");
        }
    }

    /// <summary>
    /// The factor when the current step is an enrollment (not yet done) offering <paramref name="type"/>, and the user
    /// either has no factor or passed one in this transaction: checked again here, since a factor may have been added
    /// since the plan was made. Otherwise null: the page says why and nothing is shown, sent or saved.
    /// </summary>
    private async Task<IMfaFactor?> AcceptsAsync(string type, CancellationToken cancellationToken)
    {
        var factor = Offered.FirstOrDefault(offered => offered.Type == type && offered.EnrollPart is not null);
        if (!Transaction.Enroll || Transaction.Completed || factor is null)
        {
            Refuse(type, "This sign-in does not offer to set up this factor.");
            return null;
        }

        if (Transaction.ProvedWith is null && await enrolledFactors.AnyConfirmedAsync(CurrentUser.Id, cancellationToken))
        {
            Refuse(type, "This account already has a way to verify sign-ins. Sign in again and verify with it before you add another.");
            return null;
        }

        return factor;
    }

    private async Task<IActionResult> EnrolledAsync(IMfaFactor factor, string action, IReadOnlyList<string> amr, CancellationToken cancellationToken)
    {
        if (factor.EnrollActions.ChecksSecret(action))
        {
            await RefundAttemptAsync(cancellationToken);
        }

        NewRecoveryCode = await recoveryCodes.IssueFirstAsync(CurrentUser.Id, cancellationToken);
        await CompleteAsync(amr);
        logger.Enrolled(CurrentUser.Id, CurrentUser.TenantId, factor.Type);
        if (NewRecoveryCode is not null)
        {
            logger.RecoveryCodeIssued(CurrentUser.Id, CurrentUser.TenantId);
        }

        logger.MfaSucceeded(CurrentUser.Id, CurrentUser.TenantId, factor.Type, ClientIp);
        RulesMfaMetrics.MfaSucceeded(CurrentUser.TenantId, factor.Type);
        await notice.SendAsync(CurrentUser, factor, (await StepAsync()).TenantName, ClientIp, cancellationToken);
        return NewRecoveryCode is null ? LocalRedirect(ContinueUrl) : Page();
    }

    private async Task<IActionResult> ShowAsync(IMfaFactor factor, object? state, CancellationToken cancellationToken)
    {
        Factor = factor.Type;
        View = await factor.PrepareEnrollAsync(await StepAsync(), state, cancellationToken);
        return Page();
    }
}
