using System.Globalization;
using System.Security.Claims;

namespace RulesMfa.Host.Login;

/// <summary>
/// What the session cookie says: who signed in, when, with which methods (RFC 8176 <c>amr</c> values), and whether the
/// tenant's rules let this session into the admin console.
/// </summary>
public sealed record LoginSession(string UserId, string TenantId, string SessionId, DateTimeOffset PasswordAt, DateTimeOffset? MfaAt, IReadOnlyList<string> Methods)
{
    private const string UserClaim = "sub";
    private const string TenantClaim = "tenant";
    private const string SessionClaim = "sid";
    private const string PasswordAtClaim = "pwd_at";
    private const string MfaAtClaim = "mfa_at";
    private const string MethodClaim = "amr";
    private const string ConsoleClaim = "console";

    /// <summary>
    /// The tenant's rules ran for the console client in this session and did not deny it, and MFA was passed (see
    /// <c>AdminSignIn</c>). A session that did MFA for another client has not: the admin area refuses it.
    /// </summary>
    public bool ConsoleApproved { get; init; }

    /// <summary>The session may use the admin console (its admin rights are checked separately).</summary>
    public bool OpensConsole => DidMfa && ConsoleApproved;

    /// <summary>The last active authentication, for <c>auth_time</c> and <c>max_age</c>.</summary>
    public DateTimeOffset AuthenticatedAt => MfaAt is { } mfa && mfa > PasswordAt ? mfa : PasswordAt;

    public bool DidMfa => MfaAt is not null;

    /// <summary>
    /// Whether the session still speaks for <paramref name="user"/>: its password came after the user's last MFA reset
    /// (<see cref="Storage.UserRecord.SessionsValidFrom"/>), to the millisecond the cookie keeps.
    /// </summary>
    public bool IsCurrentFor(Storage.UserRecord user) => IsIssuedSince(PasswordAt, user, TimeSpan.FromMilliseconds(1));

    /// <summary>
    /// Whether something issued at <paramref name="issuedAt"/> (a session, a token), known to <paramref name="precision"/>,
    /// came after the user's last MFA reset: only from the first whole unit after the reset, so that nothing issued before
    /// it passes (something issued within that unit after it is refused too, and signs in again).
    /// </summary>
    public static bool IsIssuedSince(DateTimeOffset issuedAt, Storage.UserRecord user, TimeSpan precision) =>
        user.SessionsValidFrom is not { } from || issuedAt.UtcTicks / precision.Ticks >= (from.UtcTicks + precision.Ticks - 1) / precision.Ticks;

    public static LoginSession? From(ClaimsPrincipal? principal)
    {
        var userId = principal?.FindFirst(UserClaim)?.Value;
        var tenantId = principal?.FindFirst(TenantClaim)?.Value;
        var sessionId = principal?.FindFirst(SessionClaim)?.Value;
        if (principal is null || userId is null || tenantId is null || sessionId is null || Time(principal, PasswordAtClaim) is not { } passwordAt)
        {
            return null;
        }

        return new LoginSession(userId, tenantId, sessionId, passwordAt, Time(principal, MfaAtClaim),
            principal.FindAll(MethodClaim).Select(claim => claim.Value).ToList())
        {
            ConsoleApproved = principal.FindFirst(ConsoleClaim)?.Value == sessionId,
        };
    }

    /// <summary>A new session after the password: a fresh session id.</summary>
    public static LoginSession AfterPassword(string userId, string tenantId, DateTimeOffset now) =>
        new(userId, tenantId, NewSessionId(), now, null, ["pwd"]);

    /// <summary>The session after MFA: a fresh session id (no fixation), with <c>mfa</c> and the factors' methods added.</summary>
    public LoginSession AfterMfa(IEnumerable<string> methods, DateTimeOffset now) =>
        this with { SessionId = NewSessionId(), MfaAt = now, Methods = Methods.Union(methods).Union(["mfa"]).ToList() };

    public ClaimsPrincipal ToPrincipal()
    {
        var identity = new ClaimsIdentity(SessionSchemes.Session);
        identity.AddClaim(new Claim(UserClaim, UserId));
        identity.AddClaim(new Claim(TenantClaim, TenantId));
        identity.AddClaim(new Claim(SessionClaim, SessionId));
        identity.AddClaim(new Claim(PasswordAtClaim, PasswordAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        if (MfaAt is { } mfaAt)
        {
            identity.AddClaim(new Claim(MfaAtClaim, mfaAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        }

        identity.AddClaims(Methods.Select(method => new Claim(MethodClaim, method)));
        if (ConsoleApproved)
        {
            // Bound to the session id, so it never outlives the session it was given to.
            identity.AddClaim(new Claim(ConsoleClaim, SessionId));
        }

        return new ClaimsPrincipal(identity);
    }

    private static DateTimeOffset? Time(ClaimsPrincipal principal, string claim) =>
        long.TryParse(principal.FindFirst(claim)?.Value, CultureInfo.InvariantCulture, out var milliseconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;

    private static string NewSessionId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
