using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Login;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Telemetry;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// The resource owner password grant (<c>password</c>, and Auth0's <c>password-realm</c> with <c>realm</c>) for the clients
/// allowed it (<see cref="PasswordGrantClients"/>; OpenIddict refuses the others): the password behind the lockout, then the
/// tenant's rules with <c>context.protocol</c> <c>oauth2-password</c>, then tokens, a refusal, or <c>mfa_required</c>.
/// Asking for the MFA API's audience (<see cref="MfaAudience"/>) demands MFA of a user who has a factor, whatever the rules say.
/// </summary>
public sealed class PasswordGrant(
    RulesMfaDbContext database, PasswordLogin passwords, LoginDecisions decisions, MfaRequiredAnswer mfa, TimeProvider clock, ILogger<PasswordGrant> logger)
{
    /// <summary>The rules' <c>context.protocol</c> for this grant.</summary>
    public const string Protocol = "oauth2-password";

    /// <summary>The one connection, the <c>realm</c> <c>password-realm</c> names.</summary>
    public const string Connection = "Username-Password-Authentication";

    private const string WrongPassword = "Wrong email or password.";

    public async Task<IResult> HandleAsync(HttpContext http, OpenIddictRequest request, string tenant)
    {
        if (request.GrantType == MfaGrantTypes.PasswordRealm)
        {
            var missing = new[] { ("username", request.Username), ("password", request.Password), ("realm", request.GetParameter("realm")?.ToString()) }
                .FirstOrDefault(parameter => string.IsNullOrEmpty(parameter.Item2)).Item1;
            if (missing is not null)
            {
                return MfaApiErrors.Missing(missing);
            }

            if (request.GetParameter("realm")?.ToString() != Connection)
            {
                return MfaApiErrors.Error(StatusCodes.Status400BadRequest, "invalid_request", $"Unknown realm: this tenant has one connection, {Connection}.");
            }
        }

        var audience = request.GetParameter("audience")?.ToString();
        var mfaAudience = MfaAudience.For(http);
        if (audience is not null && audience != mfaAudience)
        {
            return MfaApiErrors.Forbidden($"Service not found: {audience}");
        }

        var email = request.Username ?? "";
        var password = request.Password ?? "";
        var address = http.Connection.RemoteIpAddress;
        if (email.Length is 0 or > 254 || password.Length is 0 or > 1024)
        {
            return MfaApiErrors.Error(StatusCodes.Status403Forbidden, Errors.InvalidGrant, WrongPassword);
        }

        var check = await passwords.CheckAsync(tenant, email, password, address, knownDevice: null, http.RequestAborted);
        if (check is PasswordCheck.Blocked blocked)
        {
            logger.LockedOut(tenant, address?.ToString(), Math.Ceiling(blocked.For.TotalSeconds));
            RulesMfaMetrics.LoginLockedOut(tenant);
            return MfaApiErrors.Error(StatusCodes.Status429TooManyRequests, "too_many_attempts",
                $"Too many failed sign-ins. Wait {Math.Max(1, (int)Math.Ceiling(blocked.For.TotalSeconds))} seconds and try again.");
        }

        if (check is not PasswordCheck.Passed { User: var user })
        {
            logger.LoginFailed(tenant, address?.ToString());
            RulesMfaMetrics.LoginFailed(tenant);
            return MfaApiErrors.Error(StatusCodes.Status403Forbidden, Errors.InvalidGrant, WrongPassword);
        }

        var now = clock.GetUtcNow();
        var tracked = await database.Users.FindAsync([user.Id], http.RequestAborted);
        tracked!.LoginsCount++;
        tracked.LastLogin = now;
        await database.SaveChangesAsync(http.RequestAborted);
        logger.LoginSucceeded(user.Id, tenant, address?.ToString());
        RulesMfaMetrics.LoginSucceeded(tenant);

        var session = LoginSession.AfterPassword(user.Id, tenant, now);
        var forMfaApi = audience is not null;
        var (decision, plan) = await decisions.DecideAsync(user, session, request, Protocol, http, rememberedBrowserToken: null, http.RequestAborted, alwaysMfa: forMfaApi);
        var scopes = request.GetScopes().ToList();
        return plan switch
        {
            FactorPlan.Deny deny => Refused(deny),
            FactorPlan.None => GrantTokens.SignIn(user, session, scopes, decision.IdTokenClaims, decision.AccessTokenClaims, audience),
            _ => await mfa.BeginAsync(http, user, request.ClientId!, plan, decision, session, scopes, audience)
                ?? throw new InvalidOperationException($"Unexpected plan {plan.GetType().Name}."),
        };
    }

    /// <summary>A deny as Auth0 answers it: the rule's code and description; 401 for <c>unauthorized</c>, 503 when the rules could not run now.</summary>
    public static IResult Refused(FactorPlan.Deny deny) => deny.Code switch
    {
        DecisionError.TemporarilyUnavailable => MfaApiErrors.Error(StatusCodes.Status503ServiceUnavailable, deny.Code, deny.Description),
        DecisionError.Unauthorized => MfaApiErrors.Error(StatusCodes.Status401Unauthorized, deny.Code, deny.Description),
        _ => MfaApiErrors.Error(StatusCodes.Status403Forbidden, deny.Code, deny.Description),
    };
}
