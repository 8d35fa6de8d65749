using RulesMfa.Host.Login;
using RulesMfa.Host.Storage;

namespace RulesMfa.Tests.Login;

public sealed class LoginSessionTests
{
    private static readonly DateTimeOffset Reset = new(2026, 12, 6, 12, 0, 0, 500, TimeSpan.Zero);

    [TestCase(-1000, false)]
    [TestCase(-1, false)]
    [TestCase(0, true)]
    [TestCase(1, true)]
    public void IsCurrentFor_PasswordAroundTheReset_OnlyFromTheResetOn(int millisecondsAfterReset, bool current)
    {
        var session = LoginSession.AfterPassword("u1", "t1", Reset.AddMilliseconds(millisecondsAfterReset));

        Assert.That(session.IsCurrentFor(User(Reset)), Is.EqualTo(current));
    }

    [Test]
    public void IsCurrentFor_UserNeverReset_IsTrue() =>
        Assert.That(LoginSession.AfterPassword("u1", "t1", Reset.AddYears(-1)).IsCurrentFor(User(null)), Is.True);

    [TestCase(11, false)]
    [TestCase(12, false)]
    [TestCase(13, true)]
    public void IsIssuedSince_WholeSecondsOfAToken_NothingIssuedBeforeTheResetPasses(int issuedSecond, bool current)
    {
        // Reset at 12:00:12.500: a token's iat keeps whole seconds, and one of 12:00:12 may come before the reset.
        var reset = new DateTimeOffset(2026, 12, 6, 12, 0, 12, 500, TimeSpan.Zero);
        var issued = new DateTimeOffset(2026, 12, 6, 12, 0, issuedSecond, TimeSpan.Zero);

        Assert.That(LoginSession.IsIssuedSince(issued, User(reset), TimeSpan.FromSeconds(1)), Is.EqualTo(current));
    }

    private static UserRecord User(DateTimeOffset? reset) =>
        new() { Id = "u1", TenantId = "t1", Email = "u1@example.com", PasswordHash = "", SessionsValidFrom = reset };
}
