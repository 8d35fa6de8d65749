using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// Codes by text message or voice call (<see cref="PhoneCodes"/>): enrolled by confirming a number (E.164, checked by
/// libphonenumber) with a code sent to it, one number per user (a newly confirmed one replaces it); challenged with a code
/// sent to that number by the channel the user picks among those the tenant allows (<see cref="PhoneSettings.MessageTypes"/>)
/// and the rules prefer (<c>challengeWith({type: 'phone', options: {preferredMethod: 'voice'}})</c>). The message is the
/// tenant's template (<see cref="PhoneTemplates"/>), sent by the tenant's sender (<see cref="PhoneSenders"/>); a sender that
/// fails shows "could not send" beside the other methods. <c>amr</c>: <c>sms</c> or <c>tel</c> (RFC 8176), by the channel
/// the code went by. Its own audit events: <see cref="PhoneAuditEvents"/>.
/// </summary>
public sealed class PhoneFactor : IMfaFactor, IFactorServices
{
    private const string SendAction = "send";
    private const string VerifyAction = "verify";
    private const string WrongCode = "That code is not right, or it has expired. Enter the latest code we sent to your phone.";

    public string Type => FactorType.Phone;

    public IReadOnlyList<string> AmrValues { get; } = ["sms", "tel"];

    public string ChallengePart => "/Factors/Phone/_Challenge.cshtml";

    public string? EnrollPart => "/Factors/Phone/_Enroll.cshtml";

    public string RemovedNoun => "phone number(s)";

    public MfaApi.IMfaApiFactor? Api { get; } = new PhoneApi();

    public static void AddServices(IServiceCollection services)
    {
        services.AddScoped<PhoneCodes>();
        PhoneSenders.AddTo(services);
    }

    public async Task<IReadOnlyList<FactorEnrollment>> EnrollmentsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken)
    {
        var number = await database.Set<PhoneNumberRecord>().AsNoTracking().Where(record => record.UserId == user.Id && record.Confirmed)
            .OrderByDescending(record => record.Id).Select(record => record.Number).FirstOrDefaultAsync(cancellationToken);
        return number is null
            ? []
            : [new FactorEnrollment(Type, Provider: MfaProvider.Guardian) { Options = new() { ["phone_number"] = E164Numbers.Mask(number) } }];
    }

    public async Task<int> RemoveAllAsync(RulesMfaDbContext database, string userId, CancellationToken cancellationToken)
    {
        var removed = await database.Set<PhoneNumberRecord>().Where(record => record.UserId == userId && record.Confirmed).CountAsync(cancellationToken);
        await database.Set<PhoneNumberRecord>().Where(record => record.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await database.Set<PhoneCodeRecord>().Where(record => record.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        return removed;
    }

    public FactorActions ChallengeActions { get; } = FactorActions.Of([VerifyAction], SendAction);

    public FactorActions EnrollActions => ChallengeActions;

    public async Task<object?> PrepareChallengeAsync(FactorStep step, object? state, CancellationToken cancellationToken) =>
        state as PhoneView ?? new PhoneView(false, null, Masked(await NumberAsync(step, cancellationToken)), Channels(step));

    public async Task<FactorResult> ChallengeAsync(FactorStep step, string action, CancellationToken cancellationToken)
    {
        var codes = step.Services.GetRequiredService<PhoneCodes>();
        if (action == VerifyAction)
        {
            return await codes.VerifyAsync(step.User.Id, step.Form("Code") ?? "", cancellationToken) is { } channel
                ? new FactorResult.Passed([Amr(channel)])
                : new FactorResult.Failed(WrongCode, new PhoneView(true, null, Masked(await NumberAsync(step, cancellationToken)), Channels(step)));
        }

        if (await NumberAsync(step, cancellationToken) is not { } number)
        {
            return new FactorResult.Pending("This account has no phone number to send a code to. Use another method.");
        }

        var view = new PhoneView(false, null, E164Numbers.Mask(number), Channels(step));
        if (Chosen(step, view) is not { } picked)
        {
            return new FactorResult.Pending("Pick how to receive the code: one of the ways shown.", view);
        }

        var reservation = await codes.ReserveAsync(step.User.Id, picked, cancellationToken);
        return await SendAsync(step, number, picked, PhoneMessageAction.SecondFactorAuthentication, reservation, view, cancellationToken);
    }

    public Task<object?> PrepareEnrollAsync(FactorStep step, object? state, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(state as PhoneView ?? new PhoneView(false, null, null, Channels(step)));

    public async Task<FactorResult> EnrollAsync(FactorStep step, string action, CancellationToken cancellationToken)
    {
        var codes = step.Services.GetRequiredService<PhoneCodes>();
        if (action != SendAction && action != VerifyAction)
        {
            return new FactorResult.Pending(null);
        }

        if (action == VerifyAction)
        {
            var pending = await codes.PendingAsync(step.User.Id, cancellationToken);
            if (await codes.ConfirmEnrollmentAsync(step.User.Id, step.Form("Code") ?? "", cancellationToken) is not { } channel)
            {
                return new FactorResult.Failed(WrongCode, new PhoneView(true, null, Masked(pending?.Number), Channels(step)));
            }

            step.Logger.PhoneNumberConfirmed(step.User.Id, step.User.TenantId, Masked(pending?.Number) ?? "", PhoneWords.Of(channel));
            return new FactorResult.Passed([Amr(channel)]);
        }

        var typed = step.Form("Number")?.Trim() ?? "";
        var view = new PhoneView(false, null, typed, Channels(step));
        var parsed = E164Numbers.Parse(typed, step.Settings.Phone.DefaultRegion);
        if (parsed.E164 is not { } number)
        {
            return new FactorResult.Pending(parsed.Problem, view);
        }

        if (Chosen(step, view) is not { } picked)
        {
            return new FactorResult.Pending("Pick how to receive the code: one of the ways shown.", view);
        }

        var reservation = await codes.StartEnrollmentAsync(step.User.Id, number, picked, cancellationToken);
        return await SendAsync(step, number, picked, PhoneMessageAction.Enrollment, reservation, view, cancellationToken);
    }

    /// <summary>Sends the reserved code for the page: the form shows what became of it.</summary>
    private static async Task<FactorResult> SendAsync(
        FactorStep step, string number, PhoneChannel channel, PhoneMessageAction action, PhoneCodeReservation reservation, PhoneView view,
        CancellationToken cancellationToken)
    {
        if (await SendCodeAsync(step, number, channel, action, reservation, cancellationToken) is not { } problem)
        {
            return new FactorResult.Pending(null, view with { CodeSent = true, SentBy = channel, Number = E164Numbers.Mask(number) });
        }

        // Past a limit, a code sent earlier may still be valid: its form stays (while enrolling, only once the number was sent a code).
        return new FactorResult.Pending(problem,
            reservation is PhoneCodeReservation.Refused ? view with { CodeSent = action == PhoneMessageAction.SecondFactorAuthentication } : view);
    }

    /// <summary>
    /// Renders the tenant's template for the reserved code and hands it to the tenant's sender, each outcome audited; null
    /// once sent, else what to tell the user (a sending limit, a sender that failed).
    /// </summary>
    internal static async Task<string?> SendCodeAsync(
        FactorStep step, string number, PhoneChannel channel, PhoneMessageAction action, PhoneCodeReservation reservation, CancellationToken cancellationToken)
    {
        if (reservation is PhoneCodeReservation.Refused refused)
        {
            step.Logger.PhoneSendRefused(PhoneWords.Of(channel), step.User.Id, step.User.TenantId, refused.Limit, refused.RetryAt, step.ClientIp);
            var wait = Math.Max(1, (int)Math.Ceiling((refused.RetryAt - step.Services.GetRequiredService<TimeProvider>().GetUtcNow()).TotalMinutes));
            return refused.Limit == PhoneCodes.CallsLimit
                ? $"You can get only {PhoneCodes.MaxCallsPerWindow} call an hour. Ask for a text message, or wait {wait} minute(s)."
                : $"Too many codes were sent to your phone: at most {PhoneCodes.MaxMessagesPerWindow} an hour. Wait {wait} minute(s), or use another method.";
        }

        var code = ((PhoneCodeReservation.Reserved)reservation).Code;
        var phone = step.Settings.Phone;
        var sender = await step.Services.GetRequiredService<PhoneSenders>().ForAsync(step.User.TenantId, phone, cancellationToken);
        PhoneSendResult result;
        try
        {
            var template = action == PhoneMessageAction.Enrollment ? phone.EnrollmentMessage : phone.VerificationMessage;
            var text = await PhoneTemplates.RenderAsync(template, code, channel, step.TenantName, Locale(step));
            result = await sender.SendAsync(new PhoneMessage(number, channel, action, code, text), cancellationToken);
        }
        catch (PhoneTemplateException broken)
        {
            result = new PhoneSendResult.Failed(broken.Message);
        }

        var masked = E164Numbers.Mask(number);
        if (result is PhoneSendResult.Failed failed)
        {
            step.Logger.PhoneSenderFailed(sender.Name, PhoneWords.Of(channel), masked, step.User.Id, step.User.TenantId, failed.Reason);
            return $"We could not send a code to {masked} just now. Try again in a few minutes, or use another method.";
        }

        step.Logger.PhoneCodeSent(PhoneWords.Of(channel), PhoneWords.Of(action), masked, step.User.Id, step.User.TenantId, sender.Name);
        return null;
    }

    /// <summary>The channels this step offers: the tenant's, narrowed to the rules' <c>preferredMethod</c> when they gave one.</summary>
    internal static IReadOnlyList<PhoneChannel> Channels(FactorStep step) =>
        step.Settings.Phone.ChannelsFor(step.RulesOptions(FactorType.Phone)?["preferredMethod"] is System.Text.Json.Nodes.JsonValue preferred
            && preferred.TryGetValue<string>(out var method) ? method : null);

    /// <summary>The channel posted, when the step offers it; with one channel, that one.</summary>
    private static PhoneChannel? Chosen(FactorStep step, PhoneView view)
    {
        var posted = step.Form("Channel");
        return view.Channels.Count == 1 && posted is null ? view.Channels[0]
            : view.Channels.Cast<PhoneChannel?>().FirstOrDefault(channel => string.Equals(posted, channel.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    private static Task<string?> NumberAsync(FactorStep step, CancellationToken cancellationToken) =>
        step.Services.GetRequiredService<PhoneCodes>().ConfirmedNumberAsync(step.User.Id, cancellationToken);

    private static string? Masked(string? number) => number is null ? null : E164Numbers.Mask(number);

    internal static string Amr(PhoneChannel channel) => channel == PhoneChannel.Voice ? "tel" : "sms";

    /// <summary>The <c>locale</c> templates see: the browser's first language (<c>en-US</c>), else <c>en</c>.</summary>
    private static string Locale(FactorStep step)
    {
        var first = step.Http.Request.Headers.AcceptLanguage.ToString().Split(',', ';')[0].Trim();
        return first.Length is >= 2 and <= 16 && first.All(c => char.IsAsciiLetter(c) || c == '-') ? first : "en";
    }
}
