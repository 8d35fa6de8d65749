using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.MfaApi;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// The phone in the MFA API, as Auth0's <c>oob</c> authenticator on the <c>sms</c> and <c>voice</c> channels: the confirmed
/// number is listed once per channel the tenant allows (<c>sms|dev_{n}</c>, <c>voice|dev_{n}</c>), and the id challenged picks
/// the channel (none: the rules' <c>preferredMethod</c>, else the tenant's first). <c>associate</c> takes <c>phone_number</c>
/// (E.164, or national in the tenant's default region) and sends the code that confirms it; <c>challenge</c> sends a code;
/// the <c>mfa-oob</c> grant takes it as the <c>binding_code</c> (<c>binding_method</c> <c>prompt</c>). The limits, templates
/// and senders are the pages' (<see cref="PhoneCodes"/>, <see cref="PhoneSenders"/>).
/// </summary>
internal sealed class PhoneApi : IMfaApiFactor
{
    private const string Prompt = "prompt";
    private const string DevicePart = "|dev_";

    public string AuthenticatorType => "oob";

    public IReadOnlyList<string> OobChannels { get; } = [Name(PhoneChannel.Sms), Name(PhoneChannel.Voice)];

    public async Task<IReadOnlyList<MfaApiAuthenticator>> AuthenticatorsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken)
    {
        var number = await database.Set<PhoneNumberRecord>().AsNoTracking().Where(record => record.UserId == user.Id && record.Confirmed)
            .OrderByDescending(record => record.Id).FirstOrDefaultAsync(cancellationToken);
        if (number is null)
        {
            return [];
        }

        var settings = TenantSettings.Parse(await database.Tenants.AsNoTracking().Where(tenant => tenant.Id == user.TenantId)
            .Select(tenant => tenant.SettingsJson).FirstAsync(cancellationToken));
        return settings.Phone.ChannelsFor(null)
            .Select(channel => new MfaApiAuthenticator(IdOf(channel, number.Id), Active: true, Name(channel), E164Numbers.Mask(number.Number))).ToList();
    }

    public async Task<bool> RemoveAsync(RulesMfaDbContext database, UserRecord user, string id, CancellationToken cancellationToken) =>
        Parse(id) is { } parsed
        && await database.Set<PhoneNumberRecord>().Where(record => record.Id == parsed.RecordId && record.UserId == user.Id && record.Confirmed)
            .ExecuteDeleteAsync(cancellationToken) == 1;

    public async Task<MfaApiAssociation> AssociateAsync(FactorStep step, MfaApiRequest request, CancellationToken cancellationToken)
    {
        var offered = PhoneFactor.Channels(step);
        var asked = request.Values("oob_channels");
        if (offered.Where(channel => asked.Contains(Name(channel))).Cast<PhoneChannel?>().FirstOrDefault() is not { } channel)
        {
            return new MfaApiAssociation.Refused($"oob_channels must name a channel this sign-in offers: {string.Join(" or ", offered.Select(Name))}.");
        }

        var parsed = E164Numbers.Parse(request.Value("phone_number"), step.Settings.Phone.DefaultRegion);
        if (parsed.E164 is not { } number)
        {
            return new MfaApiAssociation.Refused($"phone_number: {parsed.Problem}");
        }

        var reservation = await step.Services.GetRequiredService<PhoneCodes>().StartEnrollmentAsync(step.User.Id, number, channel, cancellationToken);
        return await PhoneFactor.SendCodeAsync(step, number, channel, PhoneMessageAction.Enrollment, reservation, cancellationToken) is { } problem
            ? new MfaApiAssociation.Refused(problem, TooMany: reservation is PhoneCodeReservation.Refused)
            : new MfaApiAssociation.Oob(Name(channel), Prompt);
    }

    public async Task<MfaApiChallenge> ChallengeAsync(FactorStep step, string? authenticatorId, CancellationToken cancellationToken)
    {
        var offered = PhoneFactor.Channels(step);
        var channel = Parse(authenticatorId ?? "") is { } parsed ? parsed.Channel : offered[0];
        if (!offered.Contains(channel))
        {
            return new MfaApiChallenge.Refused($"This sign-in sends codes by {string.Join(" or ", offered.Select(Name))}, not by {Name(channel)}.");
        }

        if (await step.Services.GetRequiredService<PhoneCodes>().ConfirmedNumberAsync(step.User.Id, cancellationToken) is not { } number)
        {
            return new MfaApiChallenge.Refused("This account has no phone number to send a code to.");
        }

        var reservation = await step.Services.GetRequiredService<PhoneCodes>().ReserveAsync(step.User.Id, channel, cancellationToken);
        return await PhoneFactor.SendCodeAsync(step, number, channel, PhoneMessageAction.SecondFactorAuthentication, reservation, cancellationToken) is { } problem
            ? new MfaApiChallenge.Refused(problem, TooMany: reservation is PhoneCodeReservation.Refused)
            : new MfaApiChallenge.Ready(Oob: true, Prompt);
    }

    public async Task<FactorResult> VerifyAsync(FactorStep step, string secret, bool enrolling, CancellationToken cancellationToken)
    {
        var codes = step.Services.GetRequiredService<PhoneCodes>();
        if (!enrolling)
        {
            return await codes.VerifyAsync(step.User.Id, secret, cancellationToken) is { } channel
                ? new FactorResult.Passed([PhoneFactor.Amr(channel)])
                : new FactorResult.Failed(MfaApiErrors.InvalidBindingCode);
        }

        var pending = await codes.PendingAsync(step.User.Id, cancellationToken);
        if (await codes.ConfirmEnrollmentAsync(step.User.Id, secret, cancellationToken) is not { } confirmedBy)
        {
            return new FactorResult.Failed(MfaApiErrors.InvalidBindingCode);
        }

        step.Logger.PhoneNumberConfirmed(step.User.Id, step.User.TenantId, pending is null ? "" : E164Numbers.Mask(pending.Number), PhoneWords.Of(confirmedBy));
        return new FactorResult.Passed([PhoneFactor.Amr(confirmedBy)]);
    }

    private static string Name(PhoneChannel channel) => channel == PhoneChannel.Voice ? "voice" : "sms";

    private static string IdOf(PhoneChannel channel, long recordId) => Name(channel) + DevicePart + recordId.ToString(CultureInfo.InvariantCulture);

    private static (PhoneChannel Channel, long RecordId)? Parse(string id)
    {
        var split = id.IndexOf(DevicePart, StringComparison.Ordinal);
        PhoneChannel? channel = split < 0 ? null : id[..split] switch { "sms" => PhoneChannel.Sms, "voice" => PhoneChannel.Voice, _ => null };
        return channel is { } known && long.TryParse(id[(split + DevicePart.Length)..], NumberStyles.None, CultureInfo.InvariantCulture, out var recordId)
            ? (known, recordId)
            : null;
    }
}
