using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.RecoveryCode;

/// <summary>
/// The recovery code (<see cref="RecoveryCodeService"/>): issued by the host at a user's first enrollment, never enrolled
/// on its own, offered only as "lost your device?" next to another factor. Using it issues a new one, shown once. Its own
/// audit events: <c>mfa.recovery-code-used</c>, <c>mfa.recovery-code-issued</c>. <c>amr</c>: none beyond <c>mfa</c>.
/// </summary>
public sealed class RecoveryCodeFactor : IMfaFactor, IFactorServices
{
    private const string VerifyAction = "verify";

    public string Type => FactorType.RecoveryCode;

    public IReadOnlyList<string> AmrValues { get; } = [];

    public string ChallengePart => "/Factors/RecoveryCode/_Challenge.cshtml";

    public string? EnrollPart => null;

    public string RemovedNoun => "recovery code(s)";

    public static void AddServices(IServiceCollection services) => services.AddScoped<RecoveryCodeService>();

    public async Task<IReadOnlyList<FactorEnrollment>> EnrollmentsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken) =>
        await database.RecoveryCodes.AnyAsync(code => code.UserId == user.Id && code.UsedAt == null, cancellationToken) ? [new FactorEnrollment(Type)] : [];

    public Task<int> RemoveAllAsync(RulesMfaDbContext database, string userId, CancellationToken cancellationToken) =>
        database.RecoveryCodes.Where(record => record.UserId == userId).ExecuteDeleteAsync(cancellationToken);

    public FactorActions ChallengeActions { get; } = FactorActions.Of([VerifyAction]);

    public Task<object?> PrepareChallengeAsync(FactorStep step, object? state, CancellationToken cancellationToken) => Task.FromResult<object?>(null);

    public MfaApi.IMfaApiFactor? Api { get; } = new RecoveryCodeApi();

    public Task<FactorResult> ChallengeAsync(FactorStep step, string action, CancellationToken cancellationToken) =>
        RedeemAsync(step, step.Form("RecoveryCode") ?? "", cancellationToken);

    /// <summary>Uses the code and issues the next one, to show once; both audited.</summary>
    internal static async Task<FactorResult> RedeemAsync(FactorStep step, string code, CancellationToken cancellationToken)
    {
        var codes = step.Services.GetRequiredService<RecoveryCodeService>();
        if (!await codes.RedeemAsync(step.User.Id, code, cancellationToken))
        {
            return new FactorResult.Failed("That recovery code is not right.");
        }

        var next = await codes.IssueAsync(step.User.Id, cancellationToken);
        step.Logger.RecoveryCodeUsed(step.User.Id, step.User.TenantId, step.ClientIp);
        step.Logger.RecoveryCodeIssued(step.User.Id, step.User.TenantId);
        return new FactorResult.Passed([]) { RecoveryCodeToShow = next };
    }
}
