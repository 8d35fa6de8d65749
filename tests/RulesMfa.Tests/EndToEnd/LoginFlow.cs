using System.Text.Json;
using OtpNet;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>The steps a person takes through the hosted pages, as a test drives them through the real forms.</summary>
internal static class LoginFlow
{
    /// <summary>Starts at the app's sign-in link and submits the password form.</summary>
    public static async Task<FormBrowser.Page> SignInAsync(FormBrowser browser, RelyingParty app, string email, string password, string path = "/login")
    {
        var login = await browser.GetAsync(app.BaseUrl + path);
        Assert.That(login.Document.GetElementById("password"), Is.Not.Null, $"expected the password page, got {login.Url}:\n{login.Html}");
        return await browser.SubmitAsync(login, new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
    }

    /// <summary>Reads the key from the enrollment page, as a person would type it into an app.</summary>
    public static byte[] KeyFrom(FormBrowser.Page enrollment)
    {
        var key = enrollment.Text("secret-key") ?? throw new AssertionException($"no key on the enrollment page {enrollment.Url}:\n{enrollment.Html}");
        return Base32Encoding.ToBytes(key.Replace(" ", ""));
    }

    /// <summary>The code an authenticator app shows <paramref name="stepsAhead"/> time steps from now.</summary>
    public static string CodeFor(byte[] key, int stepsAhead = 0) => new Totp(key).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * stepsAhead));

    public static Task<FormBrowser.Page> SubmitCodeAsync(FormBrowser browser, FormBrowser.Page page, string code) =>
        browser.SubmitAsync(page, new Dictionary<string, string> { ["Code"] = code }, formWithField: "Code");

    /// <summary>Follows a link of the page by its id, as a click would.</summary>
    public static Task<FormBrowser.Page> FollowAsync(FormBrowser browser, FormBrowser.Page page, string linkId)
    {
        var href = page.Document.GetElementById(linkId)?.GetAttribute("href") ?? throw new AssertionException($"no link #{linkId} on {page.Url}:\n{page.Html}");
        return browser.GetAsync(new Uri(page.Url, href).ToString());
    }

    /// <summary>"Lost your device?": the recovery-code form, filled and submitted.</summary>
    public static async Task<FormBrowser.Page> UseRecoveryCodeAsync(FormBrowser browser, FormBrowser.Page challenge, string recoveryCode)
    {
        var form = await FollowAsync(browser, challenge, "use-recovery-code");
        return await browser.SubmitAsync(form, new Dictionary<string, string> { ["RecoveryCode"] = recoveryCode }, formWithField: "RecoveryCode");
    }

    /// <summary>The latest code the server's outbox holds for <paramref name="address"/>, as the user reads it in their mail.</summary>
    public static string EmailedCode(RulesMfaServer server, string address)
    {
        var outbox = File.ReadAllText(Path.Combine(server.DataFolder, RulesMfa.Host.Mfa.OutboxEmailSender.DefaultFileName));
        var message = outbox[outbox.LastIndexOf($"To: {address}", StringComparison.Ordinal)..];
        return System.Text.RegularExpressions.Regex.Match(message, @"code is (\d{6})").Groups[1].Value;
    }

    /// <summary>What the app knows after sign-in: the ID token's claims and the tokens.</summary>
    public static async Task<JsonElement> MeAsync(FormBrowser browser, RelyingParty app)
    {
        var me = await browser.GetAsync(app.BaseUrl + "/me.json");
        Assert.That((int)me.Status, Is.EqualTo(200), $"the app has no signed-in user; last page {me.Url}:\n{me.Html}");
        return JsonDocument.Parse(me.Html).RootElement;
    }

    public static IReadOnlyList<string> Amr(JsonElement me) =>
        me.GetProperty("idToken").TryGetProperty("amr", out var amr) ? amr.EnumerateArray().Select(value => value.GetString()!).ToList() : [];
}
