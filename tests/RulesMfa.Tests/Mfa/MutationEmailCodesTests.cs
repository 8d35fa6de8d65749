using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Factors.Email;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Mfa;

/// <summary>
/// <see cref="EmailCodes"/> beyond <see cref="EmailCodesTests"/>: bad input refused with nothing half-saved, one user's
/// sends and enrollments leaving other users' codes and addresses alone, and an enrollment code confirming only the
/// address it went to. Real database, a clock the tests move. Written for mutation testing (TESTING.md).
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed partial class MutationEmailCodesTests(StorageProvider provider)
{
    private const string UserId = "rulesmfa|ada";
    private const string OtherUserId = "rulesmfa|grace";
    private TestDatabase store = null!;
    private RulesMfaDbContext database = null!;
    private ListSender sender = null!;
    private EmailCodes codes = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync(provider);
        await using (var setup = store.NewContext())
        {
            setup.Tenants.Add(new TenantRecord { Id = "t", DisplayName = "t" });
            setup.Users.Add(new UserRecord { Id = UserId, TenantId = "t", Email = "ada@example.com", PasswordHash = "x" });
            setup.Users.Add(new UserRecord { Id = OtherUserId, TenantId = "t", Email = "grace@example.com", PasswordHash = "x" });
            await setup.SaveChangesAsync();
        }

        database = store.NewContext();
        sender = new ListSender();
        codes = new EmailCodes(database, sender, new ManualTimeProvider(Some.Now));
    }

    [TearDown]
    public async Task DeleteDatabaseAsync()
    {
        await database.DisposeAsync();
        store.Dispose();
    }

    [TestCase(" ", "ada@example.com", EmailCodes.SignInPurpose, "userId")]
    [TestCase(UserId, " ", EmailCodes.SignInPurpose, "address")]
    [TestCase(UserId, "ada@example.com", " ", "purpose")]
    public async Task Send_BlankUserAddressOrPurpose_IsRefusedByName_AndStoresAndSendsNothing(string userId, string address, string purpose, string parameter)
    {
        var refused = Assert.ThrowsAsync<ArgumentException>(() => codes.SendAsync(userId, address, purpose, CancellationToken.None));

        await using var check = store.NewContext();
        Assert.Multiple(async () =>
        {
            Assert.That(refused?.ParamName, Is.EqualTo(parameter));
            Assert.That(await check.EmailCodes.CountAsync(), Is.Zero);
            Assert.That(sender.Messages, Is.Empty);
        });
    }

    [Test]
    public void Verify_WithoutAUser_IsRefusedByName()
    {
        var refused = Assert.ThrowsAsync<ArgumentNullException>(() => codes.VerifyAsync(null!, "123456", CancellationToken.None));

        Assert.That(refused?.ParamName, Is.EqualTo("userId"));
    }

    [TestCase(" ", "ada.work@example.com", "userId")]
    [TestCase(UserId, " ", "address")]
    public async Task StartEnrollment_BlankUserOrAddress_IsRefusedByName_AndStoresNoPendingAddress(string userId, string address, string parameter)
    {
        var refused = Assert.ThrowsAsync<ArgumentException>(() => codes.StartEnrollmentAsync(userId, address, CancellationToken.None));

        await using var check = store.NewContext();
        Assert.Multiple(async () =>
        {
            Assert.That(refused?.ParamName, Is.EqualTo(parameter));
            Assert.That(await check.EmailFactors.CountAsync(), Is.Zero, "nothing half-saved");
            Assert.That(await check.EmailCodes.CountAsync(), Is.Zero);
            Assert.That(sender.Messages, Is.Empty);
        });
    }

    [Test]
    public async Task Send_FourAtOnceWhenOneMoreIsAllowed_SendsOne_EvenWhenEachWaitsForTheOthersAfterReadingTheCodes()
    {
        for (var send = 1; send < EmailCodes.MaxSendsPerWindow; send++)
        {
            await codes.SendAsync(UserId, "ada@example.com", EmailCodes.SignInPurpose, CancellationToken.None);
        }

        // Each send, once it has read the user's codes, waits up to 2 s for the others: under the send's transaction and
        // the user's row lock they reach that read one at a time; without them all four read the same nine sends.
        var barrier = new ReadBarrier(4, "EmailCodes", waitAtMost: TimeSpan.FromSeconds(2));
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var context = store.NewContext(barrier.ForOneParticipant());
            return await new EmailCodes(context, sender, new ManualTimeProvider(Some.Now)).SendAsync(UserId, "ada@example.com", EmailCodes.SignInPurpose, CancellationToken.None);
        })));

        Assert.Multiple(() =>
        {
            Assert.That(results.OfType<EmailSendResult.Sent>().Count(), Is.EqualTo(1), "the tenth send of the window");
            Assert.That(results.OfType<EmailSendResult.TooManySends>().Count(), Is.EqualTo(3), "refused by the send limit");
        });
    }

    [Test]
    public async Task Send_ToOneUser_LeavesAnotherUsersCodeValid()
    {
        var othersCode = await SendAsync(OtherUserId, "grace@example.com");
        await SendAsync(UserId, "ada@example.com");

        var othersVerified = await codes.VerifyAsync(OtherUserId, othersCode, CancellationToken.None);

        Assert.That(othersVerified, Is.True, "only the user's own earlier codes stop working");
    }

    [Test]
    public async Task Send_AddressWithSpaceAround_GoesToTheTrimmedAddress()
    {
        await codes.SendAsync(UserId, "  ada@example.com ", EmailCodes.SignInPurpose, CancellationToken.None);

        Assert.That(sender.Messages.Single().To, Is.EqualTo("ada@example.com"));
    }

    [Test]
    public async Task ConfirmEnrollment_AfterAStartRefusedByTheSendLimit_TheEarlierAddressesCodeConfirmsNothing()
    {
        for (var send = 1; send < EmailCodes.MaxSendsPerWindow; send++)
        {
            await SendAsync(UserId, "ada@example.com");
        }

        var (_, toOwnAddress) = await codes.StartEnrollmentAsync(UserId, "ada.work@example.com", CancellationToken.None);
        var ownAddressCode = CodeIn(sender.Messages[^1]);
        var (victimsId, toVictim) = await codes.StartEnrollmentAsync(UserId, "victim@example.com", CancellationToken.None);

        // The latest code is still the one sent to the first address; the pending address is now the second.
        var confirmed = await codes.ConfirmEnrollmentAsync(UserId, ownAddressCode, CancellationToken.None);

        var factors = await database.EmailFactors.AsNoTracking().Select(factor => new { factor.Id, factor.Address, factor.Confirmed }).ToListAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(toOwnAddress, Is.InstanceOf<EmailSendResult.Sent>());
            Assert.That(toVictim, Is.InstanceOf<EmailSendResult.TooManySends>());
            Assert.That(confirmed, Is.False, "a code confirms only the address it was sent to");
            Assert.That(factors, Is.EqualTo(new[] { new { Id = victimsId, Address = "victim@example.com", Confirmed = false } }));
            Assert.That(await codes.ConfirmedAddressAsync(UserId, CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task EnrollmentOfOneUser_LeavesAnotherUsersConfirmedAndPendingAddresses()
    {
        await codes.StartEnrollmentAsync(OtherUserId, "grace@example.com", CancellationToken.None);
        Assert.That(await codes.ConfirmEnrollmentAsync(OtherUserId, CodeIn(sender.Messages[^1]), CancellationToken.None), Is.True);
        await codes.StartEnrollmentAsync(OtherUserId, "grace.work@example.com", CancellationToken.None);

        await codes.StartEnrollmentAsync(UserId, "ada@example.com", CancellationToken.None);
        var confirmed = await codes.ConfirmEnrollmentAsync(UserId, CodeIn(sender.Messages[^1]), CancellationToken.None);

        var factors = await database.EmailFactors.AsNoTracking().OrderBy(factor => factor.Id)
            .Select(factor => new { factor.UserId, factor.Address, factor.Confirmed }).ToListAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(confirmed, Is.True);
            Assert.That(factors, Is.EqualTo(new[]
            {
                new { UserId = OtherUserId, Address = "grace@example.com", Confirmed = true },
                new { UserId = OtherUserId, Address = "grace.work@example.com", Confirmed = false },
                new { UserId, Address = "ada@example.com", Confirmed = true },
            }));
            Assert.That(await codes.ConfirmedAddressAsync(UserId, CancellationToken.None), Is.EqualTo("ada@example.com"));
            Assert.That(await codes.ConfirmedAddressAsync(OtherUserId, CancellationToken.None), Is.EqualTo("grace@example.com"));
        });
    }

    [Test]
    public async Task ConfirmEnrollment_WhileAnotherUserHasALaterPendingAddress_ConfirmsTheUsersOwn()
    {
        await codes.StartEnrollmentAsync(UserId, "ada@example.com", CancellationToken.None);
        var usersCode = CodeIn(sender.Messages[^1]);
        await codes.StartEnrollmentAsync(OtherUserId, "grace@example.com", CancellationToken.None);

        var confirmed = await codes.ConfirmEnrollmentAsync(UserId, usersCode, CancellationToken.None);

        var factors = await database.EmailFactors.AsNoTracking().OrderBy(factor => factor.Id)
            .Select(factor => new { factor.UserId, factor.Address, factor.Confirmed }).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(confirmed, Is.True);
            Assert.That(factors, Is.EqualTo(new[]
            {
                new { UserId, Address = "ada@example.com", Confirmed = true },
                new { UserId = OtherUserId, Address = "grace@example.com", Confirmed = false },
            }));
        });
    }

    private async Task<string> SendAsync(string userId, string address)
    {
        Assert.That(await codes.SendAsync(userId, address, EmailCodes.SignInPurpose, CancellationToken.None), Is.InstanceOf<EmailSendResult.Sent>());
        return CodeIn(sender.Messages[^1]);
    }

    private static string CodeIn(EmailMessage message) => SixDigits().Match(message.Text).Value;

    [GeneratedRegex(@"\b[0-9]{6}\b")]
    private static partial Regex SixDigits();

    /// <summary>Keeps every message instead of sending it (one request at a time).</summary>
    private sealed class ListSender : IEmailSender
    {
        public List<EmailMessage> Messages { get; } = [];

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            lock (Messages)
            {
                Messages.Add(message);
            }

            return Task.CompletedTask;
        }
    }
}
