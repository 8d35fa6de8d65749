using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RulesMfa.Engine.Factors;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Factors.Email;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Mfa;

/// <summary>Emailed codes and the email factor on a real database (SQLite and PostgreSQL) with a clock the tests move, and the two senders.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed partial class EmailCodesTests(StorageProvider provider)
{
    private const string UserId = "rulesmfa|ada";
    private const string OtherUserId = "rulesmfa|grace";
    private const string Address = "ada@example.com";
    private TestDatabase store = null!;
    private ManualTimeProvider clock = null!;
    private CapturingEmailSender sender = null!;
    private RulesMfaDbContext database = null!;
    private EmailCodes codes = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync(provider);
        await using (var setup = NewContext())
        {
            setup.Tenants.Add(new TenantRecord { Id = "t", DisplayName = "t" });
            setup.Users.Add(new UserRecord { Id = UserId, TenantId = "t", Email = Address, PasswordHash = "x" });
            setup.Users.Add(new UserRecord { Id = OtherUserId, TenantId = "t", Email = "grace@example.com", PasswordHash = "x" });
            await setup.SaveChangesAsync();
        }

        clock = new ManualTimeProvider(Some.Now);
        sender = new CapturingEmailSender();
        database = NewContext();
        codes = new EmailCodes(database, sender, clock);
    }

    [TearDown]
    public async Task DeleteDatabaseAsync()
    {
        await database.DisposeAsync();
        store.Dispose();
    }

    [Test]
    public async Task Send_NewCode_EmailsItAndStoresOnlyItsHash()
    {
        var result = await codes.SendAsync(UserId, Address, EmailCodes.SignInPurpose, CancellationToken.None);

        var message = sender.Messages.Single();
        var code = CodeIn(message);
        var stored = await database.EmailCodes.AsNoTracking().SingleAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new EmailSendResult.Sent(Some.Now.AddMinutes(5))));
            Assert.That(message.To, Is.EqualTo(Address));
            Assert.That(message.Subject, Is.EqualTo(EmailCodes.SignInPurpose));
            Assert.That(message.Text, Is.EqualTo($"Your sign-in code is {code}. It expires in 5 minutes."));
            Assert.That(stored.UserId, Is.EqualTo(UserId));
            Assert.That(stored.Hash, Is.EqualTo(EmailCode.Hash(code, UserId)));
            Assert.That(stored.Hash, Does.Not.Contain(code));
            Assert.That(stored.CreatedAt, Is.EqualTo(Some.Now));
            Assert.That(stored.ExpiresAt, Is.EqualTo(Some.Now + EmailCodes.Lifetime));
            Assert.That(stored.UsedAt, Is.Null);
        });
    }

    [Test]
    public async Task Verify_SentCode_SucceedsOnceNotTwice()
    {
        var code = await SendCodeAsync();

        var first = await codes.VerifyAsync(UserId, code, CancellationToken.None);
        var second = await codes.VerifyAsync(UserId, code, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.True);
            Assert.That(second, Is.False, "a code works once");
        });
    }

    [Test]
    public async Task Verify_CodeAsTypedWithSpaces_IsTrue()
    {
        var code = await SendCodeAsync();

        var verified = await codes.VerifyAsync(UserId, $" {code[..3]} {code[3..]} ", CancellationToken.None);

        Assert.That(verified, Is.True);
    }

    [Test]
    public async Task Verify_JustBeforeFiveMinutes_IsTrue()
    {
        var code = await SendCodeAsync();
        clock.Advance(EmailCodes.Lifetime - TimeSpan.FromSeconds(1));

        var verified = await codes.VerifyAsync(UserId, code, CancellationToken.None);

        Assert.That(verified, Is.True);
    }

    [Test]
    public async Task Verify_AtFiveMinutes_IsFalse()
    {
        var code = await SendCodeAsync();
        clock.Advance(EmailCodes.Lifetime);

        var verified = await codes.VerifyAsync(UserId, code, CancellationToken.None);

        Assert.That(verified, Is.False);
    }

    [Test]
    public async Task Verify_EarlierCodeAfterResend_IsFalseAndTheLatestWorks()
    {
        var first = await SendCodeAsync();
        var second = await SendCodeAsync();
        Assume.That(second, Is.Not.EqualTo(first), "two random codes are equal once in a million");

        var earlier = await codes.VerifyAsync(UserId, first, CancellationToken.None);
        var latest = await codes.VerifyAsync(UserId, second, CancellationToken.None);

        var firstRecord = await database.EmailCodes.AsNoTracking().OrderBy(record => record.Id).FirstAsync();
        Assert.Multiple(() =>
        {
            Assert.That(earlier, Is.False, "only the latest code counts");
            Assert.That(latest, Is.True);
            Assert.That(firstRecord.UsedAt, Is.EqualTo(Some.Now), "the resend marked the earlier code used");
        });
    }

    [Test]
    public async Task Verify_WrongCode_IsFalseAndTheRightOneStillWorks()
    {
        var code = await SendCodeAsync();
        var wrong = ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

        var wrongVerified = await codes.VerifyAsync(UserId, wrong, CancellationToken.None);
        var rightVerified = await codes.VerifyAsync(UserId, code, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(wrongVerified, Is.False);
            Assert.That(rightVerified, Is.True, "a wrong guess does not burn the code; the attempt bucket limits guesses");
        });
    }

    [TestCase("")]
    [TestCase("12345")]
    [TestCase("abcdef")]
    public async Task Verify_MalformedCode_IsFalse(string typed)
    {
        await SendCodeAsync();

        var verified = await codes.VerifyAsync(UserId, typed, CancellationToken.None);

        Assert.That(verified, Is.False);
    }

    [Test]
    public async Task Verify_CodeSentToAnotherUser_IsFalse()
    {
        await codes.SendAsync(OtherUserId, "grace@example.com", EmailCodes.SignInPurpose, CancellationToken.None);
        var othersCode = CodeIn(sender.Messages.Single());

        var verified = await codes.VerifyAsync(UserId, othersCode, CancellationToken.None);

        Assert.That(verified, Is.False);
    }

    [Test]
    public async Task Verify_NothingSent_IsFalse()
    {
        var verified = await codes.VerifyAsync(UserId, "123456", CancellationToken.None);

        Assert.That(verified, Is.False);
    }

    [Test]
    public async Task Verify_EightConcurrent_ExactlyOneSucceeds()
    {
        var code = await SendCodeAsync();

        // Every verification reads the latest code before any of them marks it used.
        var reads = new ReadBarrier(8, "EmailCodes");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await using var context = store.NewContext(reads.ForOneParticipant());
            return await new EmailCodes(context, sender, clock).VerifyAsync(UserId, code, CancellationToken.None);
        })));

        Assert.That(results.Count(success => success), Is.EqualTo(1));
    }

    [Test]
    public async Task Send_EleventhWithinAnHour_IsRefusedUntilTheHourHasPassed()
    {
        for (var send = 0; send < EmailCodes.MaxSendsPerWindow; send++)
        {
            await SendCodeAsync();
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var eleventh = await codes.SendAsync(UserId, Address, EmailCodes.SignInPurpose, CancellationToken.None);
        clock.Now = Some.Now + EmailCodes.SendWindow - TimeSpan.FromSeconds(1);
        var justBeforeTheHour = await codes.SendAsync(UserId, Address, EmailCodes.SignInPurpose, CancellationToken.None);
        var sentBefore = sender.Messages.Count;
        clock.Now = Some.Now + EmailCodes.SendWindow;
        var afterTheHour = await codes.SendAsync(UserId, Address, EmailCodes.SignInPurpose, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(eleventh, Is.EqualTo(new EmailSendResult.TooManySends(Some.Now + EmailCodes.SendWindow)));
            Assert.That(justBeforeTheHour, Is.InstanceOf<EmailSendResult.TooManySends>());
            Assert.That(sentBefore, Is.EqualTo(10), "a refused send emails nothing");
            Assert.That(afterTheHour, Is.InstanceOf<EmailSendResult.Sent>(), "the first send has left the rolling hour");
            Assert.That(sender.Messages, Has.Count.EqualTo(11));
        });
    }

    [Test]
    public async Task Send_RollingHour_CountsOnlyTheSendsOfTheLastHour()
    {
        await SendCodeAsync();
        clock.Advance(TimeSpan.FromMinutes(30));
        for (var send = 1; send < EmailCodes.MaxSendsPerWindow; send++)
        {
            await SendCodeAsync();
        }

        clock.Now = Some.Now + EmailCodes.SendWindow;
        var afterTheFirstLeft = await codes.SendAsync(UserId, Address, EmailCodes.SignInPurpose, CancellationToken.None);
        var next = await codes.SendAsync(UserId, Address, EmailCodes.SignInPurpose, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(afterTheFirstLeft, Is.InstanceOf<EmailSendResult.Sent>());
            Assert.That(next, Is.EqualTo(new EmailSendResult.TooManySends(Some.Now.AddMinutes(30) + EmailCodes.SendWindow)));
        });
    }

    [Test]
    public async Task Send_Refused_KeepsTheLatestCodeValid()
    {
        for (var send = 1; send < EmailCodes.MaxSendsPerWindow; send++)
        {
            await SendCodeAsync();
        }

        var latest = await SendCodeAsync();

        var refused = await codes.SendAsync(UserId, Address, EmailCodes.SignInPurpose, CancellationToken.None);
        var verified = await codes.VerifyAsync(UserId, latest, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.InstanceOf<EmailSendResult.TooManySends>());
            Assert.That(verified, Is.True);
        });
    }

    [Test]
    public async Task Send_LimitOfOneUser_DoesNotLimitAnother()
    {
        for (var send = 0; send < EmailCodes.MaxSendsPerWindow; send++)
        {
            await SendCodeAsync();
        }

        var others = await codes.SendAsync(OtherUserId, "grace@example.com", EmailCodes.SignInPurpose, CancellationToken.None);

        Assert.That(others, Is.InstanceOf<EmailSendResult.Sent>());
    }

    [Test]
    public async Task Send_TwelveConcurrent_ExactlyTenAreSentAndOneCodeIsUnused()
    {
        // Every send, its connection open, starts at once: the user's row lock, not luck, must keep the eleventh out.
        var start = new ReadBarrier(12, "EmailCodes");
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            await using var context = NewContext();
            await context.Database.OpenConnectionAsync();
            await start.StartTogetherAsync();
            return await new EmailCodes(context, sender, clock).SendAsync(UserId, Address, EmailCodes.SignInPurpose, CancellationToken.None);
        })));

        var unused = await database.EmailCodes.AsNoTracking().CountAsync(record => record.UsedAt == null);
        Assert.Multiple(() =>
        {
            Assert.That(results.OfType<EmailSendResult.Sent>().Count(), Is.EqualTo(10));
            Assert.That(results.OfType<EmailSendResult.TooManySends>().Count(), Is.EqualTo(2), "the two refused are refused by the send limit");
            Assert.That(unused, Is.EqualTo(1), "only the latest code is valid");
        });
    }

    [Test]
    public async Task ConfirmEnrollment_CodeSentToTheAddress_ConfirmsIt()
    {
        var (factorId, result) = await codes.StartEnrollmentAsync(UserId, "ada.work@example.com", CancellationToken.None);
        var message = sender.Messages.Single();
        var beforeConfirmation = await codes.ConfirmedAddressAsync(UserId, CancellationToken.None);

        var confirmed = await codes.ConfirmEnrollmentAsync(UserId, CodeIn(message), CancellationToken.None);

        var stored = await database.EmailFactors.AsNoTracking().SingleAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(result, Is.InstanceOf<EmailSendResult.Sent>());
            Assert.That(message.To, Is.EqualTo("ada.work@example.com"));
            Assert.That(message.Subject, Is.EqualTo(EmailCodes.EnrollmentPurpose));
            Assert.That(beforeConfirmation, Is.Null, "a pending address is not a factor yet");
            Assert.That(confirmed, Is.True);
            Assert.That(stored.Id, Is.EqualTo(factorId));
            Assert.That(stored.Confirmed, Is.True);
            Assert.That(await codes.ConfirmedAddressAsync(UserId, CancellationToken.None), Is.EqualTo("ada.work@example.com"));
        });
    }

    [Test]
    public async Task ConfirmEnrollment_WrongCode_ConfirmsNothing()
    {
        await codes.StartEnrollmentAsync(UserId, Address, CancellationToken.None);
        var code = CodeIn(sender.Messages.Single());
        var wrong = ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

        var confirmed = await codes.ConfirmEnrollmentAsync(UserId, wrong, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(confirmed, Is.False);
            Assert.That(await codes.ConfirmedAddressAsync(UserId, CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task ConfirmEnrollment_CodeSentToAReplacedPendingAddress_IsFalse()
    {
        await codes.StartEnrollmentAsync(UserId, "old@example.com", CancellationToken.None);
        var oldCode = CodeIn(sender.Messages[0]);
        await codes.StartEnrollmentAsync(UserId, "new@example.com", CancellationToken.None);
        var newCode = CodeIn(sender.Messages[1]);
        Assume.That(newCode, Is.Not.EqualTo(oldCode), "two random codes are equal once in a million");

        var withOldCode = await codes.ConfirmEnrollmentAsync(UserId, oldCode, CancellationToken.None);
        var withNewCode = await codes.ConfirmEnrollmentAsync(UserId, newCode, CancellationToken.None);

        var addresses = await database.EmailFactors.AsNoTracking().Select(factor => factor.Address).ToListAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(withOldCode, Is.False);
            Assert.That(withNewCode, Is.True);
            Assert.That(await codes.ConfirmedAddressAsync(UserId, CancellationToken.None), Is.EqualTo("new@example.com"));
            Assert.That(addresses, Is.EqualTo(new[] { "new@example.com" }), "the earlier pending address was replaced");
        });
    }

    [Test]
    public async Task ConfirmEnrollment_SignInCode_IsFalse()
    {
        await codes.StartEnrollmentAsync(UserId, "ada.work@example.com", CancellationToken.None);
        var signInCode = await SendCodeAsync();

        var confirmed = await codes.ConfirmEnrollmentAsync(UserId, signInCode, CancellationToken.None);

        Assert.That(confirmed, Is.False, "a code sent to the sign-in address does not confirm another address");
    }

    [Test]
    public async Task Verify_EnrollmentCode_IsFalseAndDoesNotUseIt()
    {
        await codes.StartEnrollmentAsync(UserId, "attacker@example.com", CancellationToken.None);
        var enrollmentCode = CodeIn(sender.Messages.Single());

        var verified = await codes.VerifyAsync(UserId, enrollmentCode, CancellationToken.None);
        var confirmed = await codes.ConfirmEnrollmentAsync(UserId, enrollmentCode, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verified, Is.False, "a code sent to confirm a new address is no sign-in code");
            Assert.That(confirmed, Is.True);
        });
    }

    [Test]
    public async Task ConfirmEnrollment_SecondAddress_ReplacesTheConfirmedOne()
    {
        await codes.StartEnrollmentAsync(UserId, "first@example.com", CancellationToken.None);
        await codes.ConfirmEnrollmentAsync(UserId, CodeIn(sender.Messages[0]), CancellationToken.None);
        await codes.StartEnrollmentAsync(UserId, "second@example.com", CancellationToken.None);
        var whilePending = await codes.ConfirmedAddressAsync(UserId, CancellationToken.None);

        await codes.ConfirmEnrollmentAsync(UserId, CodeIn(sender.Messages[1]), CancellationToken.None);

        var factors = await database.EmailFactors.AsNoTracking().ToListAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(whilePending, Is.EqualTo("first@example.com"), "the confirmed address stays until the new one is confirmed");
            Assert.That(await codes.ConfirmedAddressAsync(UserId, CancellationToken.None), Is.EqualTo("second@example.com"));
            Assert.That(factors.Select(factor => (factor.Address, factor.Confirmed)), Is.EqualTo(new[] { ("second@example.com", true) }));
        });
    }

    [Test]
    public async Task ConfirmEnrollment_NothingPending_IsFalse()
    {
        var code = await SendCodeAsync();

        var confirmed = await codes.ConfirmEnrollmentAsync(UserId, code, CancellationToken.None);

        Assert.That(confirmed, Is.False);
    }

    [Test]
    public async Task OutboxSend_Message_AppendsItToTheFileAndLogsNoText()
    {
        var logger = new CapturingLogger<OutboxEmailSender>();
        var outbox = new OutboxEmailSender(new EmailOptions(), store.FolderPath, clock, logger);
        var message = new EmailMessage(Address, EmailCodes.SignInPurpose, EmailCodes.MessageText("042917"));

        await outbox.SendAsync(message, CancellationToken.None);

        var written = await File.ReadAllTextAsync(Path.Combine(store.FolderPath, OutboxEmailSender.DefaultFileName));
        var expected = string.Join(Environment.NewLine,
            "To: ada@example.com",
            "Subject: Your sign-in code",
            "Date: " + Some.Now.ToString("r", CultureInfo.InvariantCulture),
            "",
            "Your sign-in code is 042917. It expires in 5 minutes.",
            OutboxEmailSender.Separator,
            "");
        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(expected));
            Assert.That(logger.Lines, Has.Count.EqualTo(1));
            Assert.That(logger.Lines[0], Does.Contain(Address).And.Contain(EmailCodes.SignInPurpose));
            Assert.That(logger.Lines[0], Does.Not.Contain("042917"), "the code never reaches a log");
        });
    }

    [Test]
    public async Task OutboxSend_ManyConcurrentMessages_AppendsEachWhole()
    {
        var outbox = new OutboxEmailSender(new EmailOptions { OutboxPath = "mail/outbox.txt" }, store.FolderPath, clock, new CapturingLogger<OutboxEmailSender>());

        await Task.WhenAll(Enumerable.Range(0, 20).Select(index => Task.Run(() =>
            outbox.SendAsync(new EmailMessage($"user{index}@example.com", "Subject", EmailCodes.MessageText($"{index:D6}")), CancellationToken.None))));

        var entries = (await File.ReadAllTextAsync(Path.Combine(store.FolderPath, "mail", "outbox.txt")))
            .ReplaceLineEndings("\n").Split(OutboxEmailSender.Separator + "\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => OutboxEntry().Match(entry)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(outbox.OutboxPath, Is.EqualTo(Path.Combine(store.FolderPath, "mail", "outbox.txt")), "a relative path is under the data folder");
            Assert.That(entries.Select(entry => entry.Success).ToList(), Has.Count.EqualTo(20).And.All.True, "each message whole, none interleaved");
            Assert.That(entries.Select(entry => int.Parse(entry.Groups["to"].Value, CultureInfo.InvariantCulture)), Is.EquivalentTo(Enumerable.Range(0, 20)));
            Assert.That(entries.Select(entry => entry.Groups["code"].Value == $"{int.Parse(entry.Groups["to"].Value, CultureInfo.InvariantCulture):D6}"), Has.All.True);
        });
    }

    [Test]
    public async Task OutboxSend_HeaderWithLineBreak_StaysOneLine()
    {
        var outbox = new OutboxEmailSender(new EmailOptions(), store.FolderPath, clock, new CapturingLogger<OutboxEmailSender>());

        await outbox.SendAsync(new EmailMessage("ada@example.com\nSubject: forged", "Hello\r\nTo: else@example.com", "Text"), CancellationToken.None);

        var lines = await File.ReadAllLinesAsync(outbox.OutboxPath);
        Assert.That(lines[..2], Is.EqualTo(new[] { "To: ada@example.com Subject: forged", "Subject: Hello To: else@example.com" }));
    }

    [Test]
    public async Task SmtpSend_Message_DeliversItAndLogsNeitherTextNorPassword()
    {
        await using var server = new FakeSmtpServer();
        var logger = new CapturingLogger<SmtpEmailSender>();
        var options = new EmailOptions
        {
            Smtp = new EmailOptions.SmtpOptions
            {
                Host = "127.0.0.1", Port = server.Port, UserName = "mailer", Password = "s3cret-Pa55", From = "RulesMfa <no-reply@example.com>", UseStartTls = false,
            },
        };
        var smtp = new SmtpEmailSender(options, logger);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        await smtp.SendAsync(new EmailMessage(Address, EmailCodes.SignInPurpose, EmailCodes.MessageText("042917")), timeout.Token);
        await server.Completion;

        var authentication = server.Commands.Single(command => command.StartsWith("AUTH", StringComparison.Ordinal));
        var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(authentication.Split(' ')[^1]));
        Assert.Multiple(() =>
        {
            Assert.That(server.Commands, Has.Some.EqualTo("MAIL FROM:<no-reply@example.com>"));
            Assert.That(server.Commands, Has.Some.EqualTo("RCPT TO:<ada@example.com>"));
            Assert.That(credentials, Is.EqualTo("\0mailer\0s3cret-Pa55"));
            Assert.That(server.Data, Does.Contain("Subject: Your sign-in code"));
            Assert.That(server.Data, Does.Contain("Your sign-in code is 042917. It expires in 5 minutes."));
            Assert.That(logger.Lines, Has.Count.EqualTo(1));
            Assert.That(logger.Lines[0], Does.Contain(Address));
            Assert.That(logger.Lines[0], Does.Not.Contain("042917").And.Not.Contain("s3cret-Pa55"));
        });
    }

    [Test]
    public void AddRulesMfaEmail_NoSmtpHost_SendsToTheOutboxInTheDataFolder()
    {
        using var provider = EmailServiceProvider(new Dictionary<string, string?>());

        var emailSender = provider.GetRequiredService<IEmailSender>();

        Assert.Multiple(() =>
        {
            Assert.That(emailSender, Is.InstanceOf<OutboxEmailSender>());
            Assert.That(((OutboxEmailSender)emailSender).OutboxPath, Is.EqualTo(Path.Combine(store.FolderPath, OutboxEmailSender.DefaultFileName)));
            Assert.That(provider.CreateScope().ServiceProvider.GetRequiredService<EmailCodes>(), Is.Not.Null);
        });
    }

    [Test]
    public void AddRulesMfaEmail_SmtpHost_SendsThroughSmtp()
    {
        using var provider = EmailServiceProvider(new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "smtp.example.com",
            ["Email:Smtp:From"] = "no-reply@example.com",
        });

        var emailSender = provider.GetRequiredService<IEmailSender>();
        var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(emailSender, Is.InstanceOf<SmtpEmailSender>());
            Assert.That(options.Smtp.Port, Is.EqualTo(587));
            Assert.That(options.Smtp.UseStartTls, Is.True);
        });
    }

    [TestCase(null, "587")]
    [TestCase("not an address", "587")]
    [TestCase("no-reply@example.com", "0")]
    public void AddRulesMfaEmail_InvalidSmtpSettings_FailValidation(string? from, string port)
    {
        using var provider = EmailServiceProvider(new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "smtp.example.com",
            ["Email:Smtp:From"] = from,
            ["Email:Smtp:Port"] = port,
        });

        Assert.That(() => provider.GetRequiredService<IOptions<EmailOptions>>().Value, Throws.InstanceOf<OptionsValidationException>());
    }

    private ServiceProvider EmailServiceProvider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(clock);
        store.Target.AddDbContext(services);
        services.AddRulesMfaEmail(configuration, store.FolderPath).AddMfaFactor<EmailFactor>();
        return services.BuildServiceProvider();
    }

    private async Task<string> SendCodeAsync()
    {
        var result = await codes.SendAsync(UserId, Address, EmailCodes.SignInPurpose, CancellationToken.None);
        Assert.That(result, Is.InstanceOf<EmailSendResult.Sent>());
        return CodeIn(sender.Messages[^1]);
    }

    private static string CodeIn(EmailMessage message) => SixDigits().Match(message.Text).Value;

    [GeneratedRegex(@"\b[0-9]{6}\b")]
    private static partial Regex SixDigits();

    [GeneratedRegex(@"^To: user(?<to>[0-9]+)@example\.com\nSubject: Subject\nDate: [^\n]+\n\nYour sign-in code is (?<code>[0-9]{6})\. It expires in 5 minutes\.\n$")]
    private static partial Regex OutboxEntry();

    private RulesMfaDbContext NewContext() => store.NewContext();

    /// <summary>Keeps every message instead of sending it.</summary>
    private sealed class CapturingEmailSender : IEmailSender
    {
        private readonly List<EmailMessage> messages = [];

        public IReadOnlyList<EmailMessage> Messages
        {
            get
            {
                lock (messages)
                {
                    return [.. messages];
                }
            }
        }

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            lock (messages)
            {
                messages.Add(message);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>Keeps each log entry as its message followed by its structured values.</summary>
    private sealed class CapturingLogger<T> : ILogger<T>
    {
        private readonly List<string> lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (lines)
                {
                    return [.. lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(pair => $"{pair.Key}={pair.Value}")) : "";
            lock (lines)
            {
                lines.Add($"{formatter(state, exception)} | {values} | {exception}");
            }
        }
    }

    /// <summary>Just enough of an SMTP server for one plain-text session with AUTH PLAIN; keeps the commands and the message.</summary>
    private sealed class FakeSmtpServer : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly List<string> commands = [];

        public FakeSmtpServer()
        {
            listener.Start();
            Completion = ServeOneSessionAsync();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public Task Completion { get; }

        public IReadOnlyList<string> Commands => commands;

        public string Data { get; private set; } = "";

        public async ValueTask DisposeAsync()
        {
            listener.Stop();
            try
            {
                await Completion;
            }
            catch (SocketException)
            {
                // Nobody connected.
            }
        }

        private async Task ServeOneSessionAsync()
        {
            using var client = await listener.AcceptTcpClientAsync();
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 localhost ESMTP test");
            while (await reader.ReadLineAsync() is { } line)
            {
                commands.Add(line);
                switch (line.Split(' ')[0].ToUpperInvariant())
                {
                    case "EHLO":
                        await writer.WriteAsync("250-localhost\r\n250 AUTH PLAIN\r\n");
                        break;
                    case "AUTH" when line.Split(' ').Length == 2:
                        await writer.WriteLineAsync("334 ");
                        commands[^1] = $"{line} {await reader.ReadLineAsync()}";
                        await writer.WriteLineAsync("235 2.7.0 Authenticated");
                        break;
                    case "AUTH":
                        await writer.WriteLineAsync("235 2.7.0 Authenticated");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                        {
                            data.AppendLine(dataLine);
                        }

                        Data = data.ToString();
                        await writer.WriteLineAsync("250 2.0.0 Queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                }
            }
        }
    }
}
