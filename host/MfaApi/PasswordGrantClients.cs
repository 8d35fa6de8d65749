using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// Which clients may use the password grant: none by default. Allowing it grants a client, in OpenIddict's permissions
/// (which OpenIddict enforces at the token endpoint), <c>password</c> and <c>password-realm</c>, the three MFA grants
/// (Auth0's "MFA" grant type), and the MFA API's scopes. A client with the MFA grants also gets <c>mfa_required</c>,
/// rather than a plain refusal, when a refresh needs MFA.
/// </summary>
public static class PasswordGrantClients
{
    public static IReadOnlyList<string> Permissions { get; } =
    [
        OpenIddictConstants.Permissions.Endpoints.Token,
        OpenIddictConstants.Permissions.GrantTypes.Password,
        OpenIddictConstants.Permissions.Prefixes.GrantType + MfaGrantTypes.PasswordRealm,
        .. MfaGrantTypes.Mfa.Select(grant => OpenIddictConstants.Permissions.Prefixes.GrantType + grant),
        .. MfaGrantTypes.Scopes.Select(scope => OpenIddictConstants.Permissions.Prefixes.Scope + scope),
    ];

    /// <summary>Allows (or, with <paramref name="allowed"/> false, takes back) the password grant and the MFA grants of a client.</summary>
    public static async Task SetAsync(IOpenIddictApplicationManager applications, object application, bool allowed, CancellationToken cancellationToken)
    {
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);
        foreach (var permission in Permissions.Where(permission => permission != OpenIddictConstants.Permissions.Endpoints.Token))
        {
            if (allowed)
            {
                descriptor.Permissions.Add(permission);
            }
            else
            {
                descriptor.Permissions.Remove(permission);
            }
        }

        descriptor.Permissions.Add(OpenIddictConstants.Permissions.Endpoints.Token);
        await applications.PopulateAsync(application, descriptor, cancellationToken);
        await applications.UpdateAsync(application, cancellationToken);
    }

    /// <summary>True when the client may use the MFA grants (and so gets <c>mfa_required</c> on a refresh that needs MFA).</summary>
    public static async Task<bool> HasMfaGrantsAsync(IOpenIddictApplicationManager applications, string? clientId, CancellationToken cancellationToken) =>
        clientId is not null && await applications.FindByClientIdAsync(clientId, cancellationToken) is { } application
        && await applications.HasPermissionAsync(application, OpenIddictConstants.Permissions.Prefixes.GrantType + MfaGrantTypes.Otp, cancellationToken);
}
