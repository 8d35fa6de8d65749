using System.Text.Json.Nodes;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// <c>GET /{tenant}/mfa/authenticators</c> (an <c>mfa_token</c>, or scope <c>read:authenticators</c>) lists the user's
/// authenticators with Auth0's fields, the channel as <c>oob_channel</c> (what Auth0 sends) and also <c>oob_channels</c> and
/// <c>type</c> (what some SDKs read). <c>DELETE /{tenant}/mfa/authenticators/{id}</c> needs an access token with scope
/// <c>remove:authenticators</c> from a sign-in that did MFA: an <c>mfa_token</c> holds only a password, which must never
/// take away the owner's factor (and then enroll its own): 204, 401, 404. A removal also forgets the user's remembered
/// browsers, in the same transaction: a browser remembered after passing the removed factor (someone who copied the
/// authenticator's key, or took over the phone number) would otherwise go on skipping MFA with the password alone, and a
/// remembered browser does not say which factor it passed.
/// </summary>
public sealed class AuthenticatorsEndpoint(MfaApiCallers callers, MfaFactors factors, EnrolledFactors enrolledFactors, RulesMfaDbContext database,
    RememberedBrowsers browsers, ILogger<AuthenticatorsEndpoint> logger)
{
    public async Task<IResult> ListAsync(HttpContext http)
    {
        var (caller, refusal) = await callers.IdentifyAsync(http, clientId: null);
        if (caller is null)
        {
            return refusal!;
        }

        if (!caller.May(MfaGrantTypes.ReadScope))
        {
            return MfaApiErrors.Forbidden($"The access token lacks the scope {MfaGrantTypes.ReadScope}.");
        }

        // The user's factors as the policy counts them (an account email only next to another factor).
        var enrolled = await enrolledFactors.OfUserAsync(caller.User.Id, http.RequestAborted);
        var list = new JsonArray();
        foreach (var factor in factors.All.Where(factor => factor.Api is not null && enrolled.Contains(factor.Type)))
        {
            foreach (var authenticator in await factor.Api!.AuthenticatorsAsync(database, caller.User, http.RequestAborted))
            {
                list.Add(Describe(factor, authenticator));
            }
        }

        return Results.Json(list);
    }

    public async Task<IResult> RemoveAsync(HttpContext http, string id)
    {
        var (caller, refusal) = await callers.IdentifyAsync(http, clientId: null);
        if (caller is null)
        {
            return refusal!;
        }

        if (caller.Login is not null || !caller.Scopes.Contains(MfaGrantTypes.RemoveScope) || !caller.DidMfa)
        {
            return MfaApiErrors.Error(StatusCodes.Status401Unauthorized, "invalid_token",
                $"Removing an authenticator needs an access token with scope {MfaGrantTypes.RemoveScope} for the audience {MfaAudience.For(http)}, from a sign-in that did MFA.");
        }

        await using var transaction = await database.Database.BeginTransactionAsync(http.RequestAborted);
        foreach (var factor in factors.All.Where(factor => factor.Api is not null))
        {
            if (await factor.Api!.RemoveAsync(database, caller.User, id, http.RequestAborted))
            {
                var forgotten = await browsers.ForgetAllAsync(caller.User.Id, http.RequestAborted);
                await transaction.CommitAsync(http.RequestAborted);
                logger.AuthenticatorRemoved(caller.User.Id, caller.User.TenantId, id, forgotten);
                return Results.NoContent();
            }
        }

        return MfaApiErrors.Error(StatusCodes.Status404NotFound, "not_found", "The user has no authenticator with this id.");
    }

    private static JsonObject Describe(IMfaFactor factor, MfaApiAuthenticator authenticator)
    {
        var described = new JsonObject
        {
            ["id"] = authenticator.Id,
            ["authenticator_type"] = factor.Api!.AuthenticatorType,
            ["active"] = authenticator.Active,
            ["type"] = factor.Type,
        };
        if (authenticator.OobChannel is { } channel)
        {
            described["oob_channel"] = channel;
            described["oob_channels"] = new JsonArray(channel);
        }

        if (authenticator.Name is { } name)
        {
            described["name"] = name;
        }

        return described;
    }
}
