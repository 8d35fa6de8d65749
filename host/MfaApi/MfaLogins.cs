using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.MfaApi;

/// <summary>Opens the login an <c>mfa_token</c> carries, or answers why it cannot (Auth0's errors), logging each refusal.</summary>
public sealed class MfaLogins(RulesMfaDbContext database, MfaTokens tokens, ILogger<MfaLogins> logger)
{
    /// <param name="http">The request.</param>
    /// <param name="token">The presented <c>mfa_token</c>.</param>
    /// <param name="clientId">The client the request names, if any: it must be the token's.</param>
    /// <param name="unauthorizedStatus">The status for a token that is not valid: 403 at the token endpoint, 401 at the MFA endpoints.</param>
    public async Task<(OpenMfaLogin? Login, IResult? Refusal)> OpenAsync(HttpContext http, string? token, string? clientId, int unauthorizedStatus)
    {
        var tenant = TenantContext.Required(http).Id;
        var lookup = await tokens.FindAsync(token, tenant, http.RequestAborted);
        if (lookup is MfaTokenLookup.Live live && clientId is not null && live.Record.ClientId != clientId)
        {
            return Refuse(http, tenant, clientId, "issued to another client", MfaApiErrors.NotThisClient());
        }

        var user = lookup is MfaTokenLookup.Live found
            ? await database.Users.AsNoTracking().SingleOrDefaultAsync(record => record.Id == found.Record.UserId && record.TenantId == tenant, http.RequestAborted)
            : null;
        if (lookup is MfaTokenLookup.Live { Login: var begun } && user is not null && !begun.Session.IsCurrentFor(user))
        {
            // The login began before the user's MFA was reset: as good as expired.
            return Refuse(http, tenant, clientId, "issued before the user's MFA was reset", MfaApiErrors.Error(unauthorizedStatus, "expired_token", MfaApiErrors.ExpiredToken));
        }

        if (lookup is not MfaTokenLookup.Live { Record: var record, Login: var login } || user is null)
        {
            return lookup is MfaTokenLookup.Expired
                ? Refuse(http, tenant, clientId, "expired or used", MfaApiErrors.Error(unauthorizedStatus, "expired_token", MfaApiErrors.ExpiredToken))
                : Refuse(http, tenant, clientId, "malformed or unknown", MfaApiErrors.Error(unauthorizedStatus, "invalid_grant", MfaApiErrors.MalformedToken));
        }

        var settings = TenantSettings.Parse((await database.Tenants.AsNoTracking().SingleAsync(record => record.Id == tenant, http.RequestAborted)).SettingsJson);
        return (new OpenMfaLogin(record, login, user, settings, tokens), null);
    }

    private (OpenMfaLogin?, IResult) Refuse(HttpContext http, string tenant, string? clientId, string reason, IResult answer)
    {
        logger.MfaTokenRefused(tenant, clientId, http.Connection.RemoteIpAddress?.ToString(), reason);
        return (null, answer);
    }
}
