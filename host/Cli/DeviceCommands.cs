using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using OtpNet;
using RulesMfa.Host.Factors.Push;

namespace RulesMfa.Host.Cli;

/// <summary>
/// <c>rulesmfa device …</c>: a push authenticator in the terminal, the reference device of the device API. <c>enroll URI</c>
/// (or <c>--qr FILE.png</c>) enrolls its key; <c>pending [--wait S]</c> lists sign-ins waiting for approval as a phone shows
/// them; <c>approve ID --digits NN</c> and <c>reject ID</c> answer one with a signed JWT; <c>code</c> prints the offline
/// codes. Everything it keeps is in <c>--device-file</c> (<see cref="DeviceFile"/>). Exit 0 on success, 1 when the server
/// refuses (its words on stderr), 2 on usage errors.
/// </summary>
internal static partial class DeviceCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var deviceFile = new Option<string?>("--device-file") { Description = $"The device's file: key pair and enrollments, owner-only (default: {DeviceFile.PathVariable} or ~/.rulesmfa/device.json).", Recursive = true };
        var uri = new Argument<string?>("URI") { Description = "The enrollment link the push enrollment page shows (otpauth://totp/…).", Arity = ArgumentArity.ZeroOrOne };
        var qr = new Option<string?>("--qr") { Description = "A picture (PNG) of the page's QR code, instead of the link." };
        var name = new Option<string?>("--name") { Description = "The device's name, shown with its enrollments (default: rulesmfa on this machine's name)." };
        var enroll = new Command("enroll", "Enroll this device for push with the enrollment page's link or QR code.") { uri, qr, name };
        enroll.SetAction((parsed, cancellationToken) => RunAsync(parsed, async (path, client) =>
        {
            var text = (parsed.GetValue(uri), parsed.GetValue(qr)) switch
            {
                ({ } link, null) => link,
                (null, { } picture) => DeviceQrCode.Read(picture),
                _ => throw new CliInputException("give the enrollment link (URI) or --qr FILE.png, one of them"),
            };
            GuardianEnrollmentUri enrollment;
            try
            {
                enrollment = GuardianEnrollmentUri.Parse(text);
            }
            catch (FormatException invalid)
            {
                throw new CliInputException($"the enrollment link cannot be used: {invalid.Message}");
            }

            var device = DeviceFile.Read(path) ?? DeviceFile.New(parsed.GetValue(name) ?? $"rulesmfa on {Environment.MachineName}");
            var enrolled = await client.EnrollAsync(enrollment, device, cancellationToken);
            await device.With(new DeviceAccount(enrolled.Id, enrolled.Token, enrolled.UserId, enrollment.Issuer, enrollment.Account, enrollment.BaseUrl, enrolled.Totp.Secret))
                .WriteAsync(path, cancellationToken);
            output.WriteLine($"Enrolled {enrollment.Account} at {enrolled.Issuer} ({enrolled.Id}); the enrollment page moves on by itself.");
            output.WriteLine("Approve sign-ins with: rulesmfa device pending, then rulesmfa device approve ID --digits NN. Offline codes: rulesmfa device code.");
        }, cancellationToken));

        var wait = new Option<int>("--wait") { Description = $"Wait up to this many seconds for a sign-in to come (0 to {PushDeviceApi.MaxWaitSeconds}; default 0).", DefaultValueFactory = _ => 0 };
        var pending = new Command("pending", "List the sign-ins waiting for this device's approval.") { wait };
        pending.SetAction((parsed, cancellationToken) => RunAsync(parsed, async (path, client) =>
        {
            var seconds = parsed.GetValue(wait);
            if (seconds is < 0 or > PushDeviceApi.MaxWaitSeconds)
            {
                throw new CliInputException($"--wait must be 0 to {PushDeviceApi.MaxWaitSeconds} seconds");
            }

            var device = DeviceFile.ReadEnrolled(path);
            var listed = 0;
            foreach (var account in device.Accounts)
            {
                foreach (var transaction in await client.PendingAsync(account, seconds, cancellationToken))
                {
                    Show(output, account, transaction);
                    listed++;
                }
            }

            output.WriteLine(listed == 0 ? "No sign-in is waiting for approval." : "Approve: rulesmfa device approve ID --digits NN (the number on the sign-in page). Turn down: rulesmfa device reject ID.");
        }, cancellationToken));

        var id = new Argument<string>("ID") { Description = "The sign-in's id, as rulesmfa device pending lists it (tx_…)." };
        var digits = new Option<string>("--digits") { Description = "The two digits the sign-in page shows.", Required = true };
        var approve = new Command("approve", "Approve a waiting sign-in; give the number its page shows.") { id, digits };
        approve.SetAction((parsed, cancellationToken) => RunAsync(parsed, async (path, client) =>
        {
            var number = parsed.GetValue(digits)!.Trim();
            if (!TwoDigits().IsMatch(number))
            {
                throw new CliInputException($"--digits '{number}' must be the two digits the sign-in page shows, such as 07");
            }

            await AnswerAsync(path, client, parsed.GetValue(id)!, accepted: true, number, output, cancellationToken);
        }, cancellationToken));

        var rejectId = new Argument<string>("ID") { Description = "The sign-in's id, as rulesmfa device pending lists it (tx_…)." };
        var reject = new Command("reject", "Turn down a waiting sign-in (if it was not you, change your password).") { rejectId };
        reject.SetAction((parsed, cancellationToken) => RunAsync(parsed, (path, client) =>
            AnswerAsync(path, client, parsed.GetValue(rejectId)!, accepted: false, null, output, cancellationToken), cancellationToken));

        var code = new Command("code", "Print each account's current code, to sign in when this device is offline.");
        code.SetAction((parsed, cancellationToken) => RunAsync(parsed, (path, _) =>
        {
            foreach (var account in DeviceFile.ReadEnrolled(path).Accounts)
            {
                var totp = new Totp(Base32Encoding.ToBytes(account.TotpSecret));
                output.WriteLine($"{account.Issuer} ({account.Account}): {totp.ComputeTotp()} (for {totp.RemainingSeconds()} more seconds)");
            }

            return Task.CompletedTask;
        }, cancellationToken));

        var command = new Command("device", "A push authenticator in the terminal: enroll, list and answer sign-ins, offline codes.")
        {
            enroll, pending, approve, reject, code,
        };
        command.Options.Add(deviceFile);
        return command;

        Task<int> RunAsync(ParseResult parsed, Func<string, DeviceClient, Task> action, CancellationToken cancellationToken) =>
            DeviceCommands.RunAsync(parsed.GetValue(deviceFile) ?? DeviceFile.DefaultPath, error, action);
    }

    /// <summary>What a phone shows for a waiting sign-in.</summary>
    private static void Show(TextWriter output, DeviceAccount account, PushPendingTransaction transaction)
    {
        output.WriteLine($"{transaction.Id}  {transaction.Application} wants to sign you in as {account.Account} ({account.Issuer})");
        output.WriteLine($"    from {transaction.Ip ?? "an unknown address"}, {transaction.Location}, at {transaction.Date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
    }

    private static async Task AnswerAsync(string path, DeviceClient client, string id, bool accepted, string? digits, TextWriter output, CancellationToken cancellationToken)
    {
        var device = DeviceFile.ReadEnrolled(path);
        foreach (var account in device.Accounts)
        {
            if ((await client.PendingAsync(account, 0, cancellationToken)).FirstOrDefault(transaction => transaction.Id == id) is { } transaction)
            {
                Show(output, account, transaction);
                await client.ResolveAsync(account, transaction, DeviceAnswer.Sign(device, account, transaction.Challenge, accepted, digits, null), cancellationToken);
                output.WriteLine(accepted ? "Approved." : "Turned down. If this was not you, change your password.");
                return;
            }
        }

        throw new CliServerException($"no sign-in {id} is waiting for this device (it may have expired or been answered): run rulesmfa device pending");
    }

    private static async Task<int> RunAsync(string path, TextWriter error, Func<string, DeviceClient, Task> action)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(PushDeviceApi.MaxWaitSeconds + 30) };
            await action(path, new DeviceClient(http));
            return CliExitCodes.Success;
        }
        catch (CliInputException invalid)
        {
            await error.WriteLineAsync($"rulesmfa: {invalid.Message}");
            return CliExitCodes.UsageOrCompilation;
        }
        catch (CliServerException refused)
        {
            await error.WriteLineAsync($"rulesmfa: {refused.Message}");
            return CliExitCodes.ServerRefused;
        }
    }

    [GeneratedRegex("^[0-9]{2}$")]
    private static partial Regex TwoDigits();
}
