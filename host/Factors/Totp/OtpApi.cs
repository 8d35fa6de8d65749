using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.MfaApi;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Totp;

/// <summary>
/// The authenticator app in the MFA API: <c>authenticator_type</c> <c>otp</c>, ids <c>totp|dev_{n}</c>; <c>associate</c>
/// answers the key and its <c>otpauth://</c> URI, the <c>mfa-otp</c> grant checks a code, as the pages do.
/// </summary>
internal sealed class OtpApi : IMfaApiFactor
{
    private const string IdPrefix = "totp|dev_";

    public string AuthenticatorType => "otp";

    public IReadOnlyList<string> OobChannels => [];

    public async Task<IReadOnlyList<MfaApiAuthenticator>> AuthenticatorsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken) =>
        (await database.TotpEnrollments.AsNoTracking().Where(totp => totp.UserId == user.Id && totp.Confirmed).Select(totp => totp.Id).ToListAsync(cancellationToken))
        .Select(id => new MfaApiAuthenticator(IdPrefix + id.ToString(CultureInfo.InvariantCulture), Active: true)).ToList();

    public async Task<bool> RemoveAsync(RulesMfaDbContext database, UserRecord user, string id, CancellationToken cancellationToken) =>
        id.StartsWith(IdPrefix, StringComparison.Ordinal) && long.TryParse(id[IdPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var recordId)
        && await database.TotpEnrollments.Where(totp => totp.Id == recordId && totp.UserId == user.Id && totp.Confirmed).ExecuteDeleteAsync(cancellationToken) == 1;

    public async Task<MfaApiAssociation> AssociateAsync(FactorStep step, MfaApiRequest request, CancellationToken cancellationToken)
    {
        var secret = await OtpFactor.StartEnrollmentAsync(step, cancellationToken);
        return new MfaApiAssociation.Otp(secret.Base32, OtpFactor.EnrollmentUri(step, secret).Uri);
    }

    public Task<FactorResult> VerifyAsync(FactorStep step, string secret, bool enrolling, CancellationToken cancellationToken) =>
        enrolling ? OtpFactor.ConfirmCodeAsync(step, secret, cancellationToken) : OtpFactor.VerifyCodeAsync(step, secret, cancellationToken);
}
