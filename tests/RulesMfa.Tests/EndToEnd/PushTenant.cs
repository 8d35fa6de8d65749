using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// The push tests' tenant: push, the authenticator app and recovery codes enabled, a Guardian rule that also copies what it
/// sees of the user's factors into claims, one user, and a relying party named "Push web".
/// </summary>
internal static class PushTenant
{
    public const string Name = "push";
    public const string Password = "a long enough password";
    public const string Owner = "owner@push.example";

    /// <summary>Guardian, as the tenant's rule asks; the rule also copies what it sees of the user's factors into claims.</summary>
    private const string GuardianRule = """
        function (user, context, callback) {
          context.multifactor = { provider: 'guardian' };
          context.idToken['https://push.example/multifactor'] = user.multifactor.join(' ');
          context.idToken['https://push.example/factors'] = user.enrolledFactors.map(function (f) { return f.type; }).join(' ');
          callback(null, user, context);
        }
        """;

    public static async Task<RelyingParty> StartAsync(RulesMfaServer server)
    {
        await server.AddTenantAsync(Name, new TenantSettings { EnabledFactors = [FactorType.PushNotification, FactorType.Otp, FactorType.RecoveryCode] }, displayName: "Push Inc.");
        await server.SetRulesAsync(Name, ("010-guardian", GuardianRule));
        await server.AddUserAsync(Name, Owner, Password);
        var app = await RelyingParty.StartAsync(server, Name, "push-web");
        await server.WithServicesAsync(async services =>
        {
            var applications = services.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>();
            var client = (await applications.FindByClientIdAsync("push-web"))!;
            var descriptor = new OpenIddict.Abstractions.OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(descriptor, client);
            descriptor.DisplayName = "Push web";
            await applications.UpdateAsync(client, descriptor);
            return 0;
        });
        return app;
    }

    /// <summary>Enrolls the owner's push device with the companion device (device file <paramref name="deviceFile"/>), through the page.</summary>
    public static async Task<PushDevice> EnrollAsync(RelyingParty app, string deviceFile)
    {
        var device = new PushDevice(deviceFile);
        using var browser = new FormBrowser();
        var enrollPage = await LoginFlow.SignInAsync(browser, app, Owner, Password);
        await device.RunOkAsync("enroll", enrollPage.Text("push-enrollment-uri")!);
        await ContinueAsync(browser, await PushPages.SubmitAsync(browser, enrollPage, "confirm"));
        return device;
    }

    /// <summary>From the page that shows the first recovery code on to the application.</summary>
    public static Task<FormBrowser.Page> ContinueAsync(FormBrowser browser, FormBrowser.Page saved) => LoginFlow.FollowAsync(browser, saved, "continue");
}
