using Fido2NetLib.Objects;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>
/// Security keys (<c>webauthn-roaming</c>): several per user, each named by its owner; user verification as the tenant sets
/// it (<see cref="WebAuthnSettings.UserVerification"/>). <c>amr</c>: <c>hwk</c>, and <c>user</c> when the key verified its user.
/// </summary>
public sealed class SecurityKeyFactor : WebAuthnFactor, IFactorServices
{
    public override string Type => FactorType.WebAuthnRoaming;

    public override IReadOnlyList<string> AmrValues { get; } = [HardwareKeyAmr, UserVerifiedAmr];

    public override string RemovedNoun => "security key(s)";

    protected override string Noun => "security key";

    protected override AuthenticatorAttachment Attachment => AuthenticatorAttachment.CrossPlatform;

    public static void AddServices(IServiceCollection services) => services.TryAddScoped<WebAuthnCeremonies>();

    protected override UserVerificationRequirement UserVerification(TenantSettings settings) => settings.WebAuthn.UserVerification switch
    {
        WebAuthnUserVerification.Required => UserVerificationRequirement.Required,
        WebAuthnUserVerification.Preferred => UserVerificationRequirement.Preferred,
        _ => UserVerificationRequirement.Discouraged,
    };

    protected override IReadOnlyList<string> Amr(bool userVerified) => userVerified ? [HardwareKeyAmr, UserVerifiedAmr] : [HardwareKeyAmr];
}
