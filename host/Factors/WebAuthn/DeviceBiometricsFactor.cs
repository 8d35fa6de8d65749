using Fido2NetLib.Objects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>
/// Device biometrics (<c>webauthn-platform</c>: Windows Hello, Touch ID, Android): offered as Auth0 does, only after the user
/// passed another factor (progressive enrollment, never a first factor, never the only one enabled); one per kind of device,
/// a new one replacing the old; the user is always verified. <c>amr</c>: <c>user</c>.
/// </summary>
public sealed class DeviceBiometricsFactor : WebAuthnFactor, IFactorServices
{
    public override string Type => FactorType.WebAuthnPlatform;

    public override IReadOnlyList<string> AmrValues { get; } = [UserVerifiedAmr];

    public override string RemovedNoun => "device biometrics key(s)";

    protected override string Noun => "device";

    protected override AuthenticatorAttachment Attachment => AuthenticatorAttachment.Platform;

    public static void AddServices(IServiceCollection services) => services.TryAddScoped<WebAuthnCeremonies>();

    protected override UserVerificationRequirement UserVerification(TenantSettings settings) => UserVerificationRequirement.Required;

    protected override IReadOnlyList<string> Amr(bool userVerified) => AmrValues;

    /// <summary>Offered on a kind of device where the user has none yet.</summary>
    public override async Task<bool> OffersAfterChallengeAsync(FactorStep step, CancellationToken cancellationToken)
    {
        var kind = DeviceKind.Of(step.Http.Request.Headers.UserAgent);
        return !(await CredentialsAsync(step, cancellationToken)).Any(record => record.DeviceKind == kind);
    }

    protected override async Task SaveAsync(FactorStep step, string name, RegisteredPublicKeyCredential registered, CancellationToken cancellationToken)
    {
        var kind = DeviceKind.Of(step.Http.Request.Headers.UserAgent);
        await step.Database.Set<WebAuthnCredentialRecord>()
            .Where(record => record.UserId == step.User.Id && record.Type == Type && record.DeviceKind == kind).ExecuteDeleteAsync(cancellationToken);
        await base.SaveAsync(step, name, registered, cancellationToken);
    }
}
