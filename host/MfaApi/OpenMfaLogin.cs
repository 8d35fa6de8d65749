using RulesMfa.Host.Factors;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// One request's hold on a live <c>mfa_token</c>: its login, user and tenant settings; which factors the current step
/// offers through the API; and saving the login's state back under the token.
/// </summary>
public sealed class OpenMfaLogin(MfaTokenRecord record, MfaApiLogin login, UserRecord user, TenantSettings settings, MfaTokens tokens)
{
    public MfaTokenRecord Record { get; } = record;

    public MfaApiLogin Login { get; private set; } = login;

    public UserRecord User { get; } = user;

    public TenantSettings Settings { get; } = settings;

    public MfaTransaction Transaction => Login.Transaction;

    /// <summary>The factors this step offers through the API (<see cref="MfaApiOffers.Of"/>).</summary>
    public IReadOnlyList<IMfaFactor> Offered(MfaFactors factors) => MfaApiOffers.Of(Transaction, factors);

    /// <summary>Saves <paramref name="changed"/> as the login's state; false when another request changed it first.</summary>
    public async Task<bool> SaveAsync(MfaApiLogin changed, CancellationToken cancellationToken)
    {
        if (!await tokens.SaveAsync(Record, changed, cancellationToken))
        {
            return false;
        }

        Login = changed;
        return true;
    }

    /// <summary>The step a factor works in; its state is saved under the token.</summary>
    public FactorStep Step(HttpContext http, string tenantName, ILogger logger) =>
        new(http, User, Transaction, Settings, tenantName, async transaction =>
        {
            if (!await SaveAsync(Login with { Transaction = transaction }, http.RequestAborted))
            {
                throw new MfaLoginChangedException();
            }
        }, logger);
}

/// <summary>Another request changed the <c>mfa_token</c>'s login while this one ran: the client repeats the request.</summary>
public sealed class MfaLoginChangedException() : Exception("Another request changed this mfa_token's login; repeat the request.");
