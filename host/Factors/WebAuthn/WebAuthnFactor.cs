using System.Globalization;
using System.Text;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>
/// A WebAuthn factor (Fido2): enrolled by <c>navigator.credentials.create</c> and challenged by
/// <c>navigator.credentials.get</c>, answered by the part's small script. Attestation <c>none</c>; each ceremony's challenge
/// is single use and expires (<see cref="WebAuthnCeremonies"/>); only the user's own credentials of this type are accepted;
/// the signature counter is stored, and an answer whose counter does not move forward is refused as a cloned
/// authenticator. Its own audit events: <c>mfa.webauthn-cloned</c>, <c>mfa.webauthn-foreign-credential</c>.
/// </summary>
public abstract class WebAuthnFactor : IMfaFactor
{
    private const string CreateCeremony = "create";
    private const string GetCeremony = "get";
    private const string RegisterAction = "register";
    private const string AssertAction = "assert";

    /// <summary>The <c>amr</c> value of a hardware-held key (RFC 8176).</summary>
    protected const string HardwareKeyAmr = "hwk";

    /// <summary>The <c>amr</c> value of a verified user (RFC 8176): a PIN or a biometric on the authenticator.</summary>
    protected const string UserVerifiedAmr = "user";

    public abstract string Type { get; }

    public abstract IReadOnlyList<string> AmrValues { get; }

    public string ChallengePart => "/Factors/WebAuthn/_Challenge.cshtml";

    public string? EnrollPart => "/Factors/WebAuthn/_Enroll.cshtml";

    public abstract string RemovedNoun { get; }

    /// <summary>The authenticators this factor accepts: roaming (a security key) or the platform's own.</summary>
    protected abstract AuthenticatorAttachment Attachment { get; }

    /// <summary>Whether the authenticator must verify its user, in this tenant.</summary>
    protected abstract UserVerificationRequirement UserVerification(TenantSettings settings);

    /// <summary>The <c>amr</c> values a verified answer earns.</summary>
    protected abstract IReadOnlyList<string> Amr(bool userVerified);

    /// <summary>Words for this factor in messages: "security key".</summary>
    protected abstract string Noun { get; }

    public async Task<IReadOnlyList<FactorEnrollment>> EnrollmentsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken) =>
        await database.Set<WebAuthnCredentialRecord>().AnyAsync(record => record.UserId == user.Id && record.Type == Type, cancellationToken)
            ? [new FactorEnrollment(Type)]
            : [];

    public Task<int> RemoveAllAsync(RulesMfaDbContext database, string userId, CancellationToken cancellationToken) =>
        database.Set<WebAuthnCredentialRecord>().Where(record => record.UserId == userId && record.Type == Type).ExecuteDeleteAsync(cancellationToken);

    public FactorActions ChallengeActions { get; } = FactorActions.Of([AssertAction]);

    public FactorActions EnrollActions { get; } = FactorActions.Of([], RegisterAction);

    public async Task<object?> PrepareChallengeAsync(FactorStep step, object? state, CancellationToken cancellationToken)
    {
        var credentials = await CredentialsAsync(step, cancellationToken);
        var options = Relying(step).GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = credentials.Select(Descriptor).ToList(),
            UserVerification = UserVerification(step.Settings),
        });
        return await ViewAsync(step, GetCeremony, options.ToJson(), credentials, cancellationToken);
    }

    public async Task<FactorResult> ChallengeAsync(FactorStep step, string action, CancellationToken cancellationToken)
    {
        var optionsJson = await TakeCeremonyAsync(step, GetCeremony, cancellationToken);
        var answer = Parse<AuthenticatorAssertionRawResponse>(step.Form("Credential"));
        if (optionsJson is null || answer is null)
        {
            return Expired();
        }

        var credentials = await CredentialsAsync(step, cancellationToken);
        var credential = credentials.FirstOrDefault(record => record.CredentialId.AsSpan().SequenceEqual(answer.RawId));
        if (credential is null)
        {
            step.Logger.WebAuthnForeignCredential(step.User.Id, step.User.TenantId, Type, step.ClientIp);
            return new FactorResult.Failed($"This {Noun} is not registered to your account. Use one that is, or another method.");
        }

        VerifyAssertionResult verified;
        try
        {
            verified = await Relying(step).MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = answer,
                OriginalOptions = AssertionOptions.FromJson(optionsJson),
                StoredPublicKey = credential.PublicKey,
                StoredSignatureCounter = (uint)credential.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (owner, _) =>
                    Task.FromResult(owner.UserHandle.AsSpan().SequenceEqual(UserHandle(step.User)) && owner.CredentialId.AsSpan().SequenceEqual(credential.CredentialId)),
            }, cancellationToken);
        }
        catch (Fido2VerificationException refused) when (refused.Code == Fido2ErrorCode.InvalidSignCount)
        {
            return Cloned(step, credential);
        }
        catch (Fido2VerificationException)
        {
            return new FactorResult.Failed($"Your {Noun}'s answer could not be verified. Try again, or use another method.");
        }

        // Compare-and-set: of two answers with one counter value, only the first moves it on.
        var now = step.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var moved = await step.Database.Set<WebAuthnCredentialRecord>()
            .Where(record => record.Id == credential.Id && record.SignCount == credential.SignCount)
            .ExecuteUpdateAsync(record => record.SetProperty(value => value.SignCount, (long)verified.SignCount).SetProperty(value => value.LastUsedAt, now), cancellationToken);
        return moved == 1 ? new FactorResult.Passed(Amr(UserVerified(answer.Response.AuthenticatorData))) : Cloned(step, credential);
    }

    public async Task<object?> PrepareEnrollAsync(FactorStep step, object? state, CancellationToken cancellationToken)
    {
        var everyCredential = await step.Database.Set<WebAuthnCredentialRecord>().AsNoTracking().Where(record => record.UserId == step.User.Id).ToListAsync(cancellationToken);
        var options = Relying(step).RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = UserHandle(step.User), Name = step.User.Email, DisplayName = step.User.Name ?? step.User.Email },
            ExcludeCredentials = everyCredential.Select(Descriptor).ToList(),
            AuthenticatorSelection = new AuthenticatorSelection
            {
                AuthenticatorAttachment = Attachment,
                ResidentKey = ResidentKeyRequirement.Discouraged,
                UserVerification = UserVerification(step.Settings),
            },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        return await ViewAsync(step, CreateCeremony, options.ToJson(), everyCredential.Where(record => record.Type == Type).ToList(), cancellationToken);
    }

    public async Task<FactorResult> EnrollAsync(FactorStep step, string action, CancellationToken cancellationToken)
    {
        var name = step.Form("Name")?.Trim() ?? "";
        if (name.Length is 0 or > 60)
        {
            return new FactorResult.Pending($"Give your {Noun} a name of 1 to 60 characters, such as \"Blue key\".");
        }

        var optionsJson = await TakeCeremonyAsync(step, CreateCeremony, cancellationToken);
        var answer = Parse<AuthenticatorAttestationRawResponse>(step.Form("Credential"));
        if (optionsJson is null || answer is null)
        {
            return Expired();
        }

        RegisteredPublicKeyCredential registered;
        try
        {
            registered = await Relying(step).MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = answer,
                OriginalOptions = CredentialCreateOptions.FromJson(optionsJson),
                IsCredentialIdUniqueToUserCallback = async (candidate, token) =>
                    !await step.Database.Set<WebAuthnCredentialRecord>().AnyAsync(record => record.CredentialId == candidate.CredentialId, token),
            }, cancellationToken);
        }
        catch (Fido2VerificationException)
        {
            return new FactorResult.Failed($"Your {Noun} could not be added: its answer could not be verified. Try again, or use another method.");
        }

        await SaveAsync(step, name, registered, cancellationToken);
        return new FactorResult.Passed(Amr(UserVerification(step.Settings) == UserVerificationRequirement.Required));
    }

    public virtual Task<bool> OffersAfterChallengeAsync(FactorStep step, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>Keeps a new credential; a subclass may first replace one it keeps once (one per device kind).</summary>
    protected virtual async Task SaveAsync(FactorStep step, string name, RegisteredPublicKeyCredential registered, CancellationToken cancellationToken)
    {
        step.Database.Add(new WebAuthnCredentialRecord
        {
            UserId = step.User.Id, Type = Type, CredentialId = registered.Id, PublicKey = registered.PublicKey, SignCount = registered.SignCount,
            Name = name, DeviceKind = DeviceKind.Of(step.Http.Request.Headers.UserAgent), Transports = string.Join(' ', (registered.Transports ?? []).Select(Transport)),
            CreatedAt = step.Services.GetRequiredService<TimeProvider>().GetUtcNow(),
        });
        await step.Database.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The user's credentials of this factor's type.</summary>
    protected Task<List<WebAuthnCredentialRecord>> CredentialsAsync(FactorStep step, CancellationToken cancellationToken) =>
        step.Database.Set<WebAuthnCredentialRecord>().AsNoTracking().Where(record => record.UserId == step.User.Id && record.Type == Type).ToListAsync(cancellationToken);

    /// <summary>The user handle authenticators keep: the user's id, which is neither an email nor a name.</summary>
    private static byte[] UserHandle(UserRecord user) => Encoding.UTF8.GetBytes(user.Id);

    private static Fido2 Relying(FactorStep step) => WebAuthnRelyingParty.For(step.Http, step.TenantName);

    private async Task<WebAuthnView> ViewAsync(FactorStep step, string ceremony, string optionsJson, List<WebAuthnCredentialRecord> credentials, CancellationToken cancellationToken)
    {
        var id = await step.Services.GetRequiredService<WebAuthnCeremonies>().StartAsync(step.User.Id, $"{ceremony}:{Type}", optionsJson, cancellationToken);
        return new WebAuthnView(ceremony, id, optionsJson, credentials.Select(record => new WebAuthnCredentialSummary(record.Name, record.CreatedAt, record.LastUsedAt)).ToList());
    }

    private async Task<string?> TakeCeremonyAsync(FactorStep step, string ceremony, CancellationToken cancellationToken) =>
        long.TryParse(step.Form("CeremonyId"), CultureInfo.InvariantCulture, out var id)
            ? await step.Services.GetRequiredService<WebAuthnCeremonies>().TakeAsync(step.User.Id, id, $"{ceremony}:{Type}", cancellationToken)
            : null;

    private FactorResult Cloned(FactorStep step, WebAuthnCredentialRecord credential)
    {
        step.Logger.WebAuthnCloned(step.User.Id, step.User.TenantId, Type, credential.Id, step.ClientIp);
        return new FactorResult.Failed(
            $"Your {Noun} was refused: its use count went back, so it may be a copy. Use another method, and tell your administrator.");
    }

    private FactorResult Expired() =>
        new FactorResult.Pending($"That request to your {Noun} expired or was already answered. Try again.");

    private static T? Parse<T>(string? json)
        where T : class
    {
        try
        {
            return string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<T>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The UV flag of the authenticator data (WebAuthn §6.1): byte 32, bit 2.
    private static bool UserVerified(byte[] authenticatorData) => authenticatorData.Length > 32 && (authenticatorData[32] & 0x04) != 0;

    private static PublicKeyCredentialDescriptor Descriptor(WebAuthnCredentialRecord record) =>
        new(PublicKeyCredentialType.PublicKey, record.CredentialId, record.Transports.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ParseTransport).OfType<AuthenticatorTransport>().ToArray());

    private static string Transport(AuthenticatorTransport transport) => JsonSerializer.Serialize(transport).Trim('"');

    private static AuthenticatorTransport? ParseTransport(string name)
    {
        try
        {
            return JsonSerializer.Deserialize<AuthenticatorTransport>($"\"{name}\"");
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
