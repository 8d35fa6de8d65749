using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.MfaApi;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.RecoveryCode;

/// <summary>
/// The recovery code in the MFA API: <c>authenticator_type</c> <c>recovery-code</c>, id <c>recovery-code|dev_{n}</c>; never
/// associated (the host issues it at the first enrollment); the <c>mfa-recovery-code</c> grant uses it and answers the new one.
/// </summary>
internal sealed class RecoveryCodeApi : IMfaApiFactor
{
    private const string IdPrefix = "recovery-code|dev_";

    public string AuthenticatorType => "recovery-code";

    public IReadOnlyList<string> OobChannels => [];

    public async Task<IReadOnlyList<MfaApiAuthenticator>> AuthenticatorsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken) =>
        (await database.RecoveryCodes.AsNoTracking().Where(code => code.UserId == user.Id && code.UsedAt == null).Select(code => code.Id).ToListAsync(cancellationToken))
        .Select(id => new MfaApiAuthenticator(IdPrefix + id.ToString(CultureInfo.InvariantCulture), Active: true)).ToList();

    public async Task<bool> RemoveAsync(RulesMfaDbContext database, UserRecord user, string id, CancellationToken cancellationToken) =>
        id.StartsWith(IdPrefix, StringComparison.Ordinal) && long.TryParse(id[IdPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var recordId)
        && await database.RecoveryCodes.Where(code => code.Id == recordId && code.UserId == user.Id && code.UsedAt == null).ExecuteDeleteAsync(cancellationToken) == 1;

    public Task<FactorResult> VerifyAsync(FactorStep step, string secret, bool enrolling, CancellationToken cancellationToken) =>
        RecoveryCodeFactor.RedeemAsync(step, secret, cancellationToken);
}
