using System.Net;
using System.Text.Json;

namespace RulesMfa.Load;

/// <summary>
/// A person's login through the real pages: the sample app's sign-in link (the stock OpenIdConnect handler, code flow
/// with PKCE), the password page, the TOTP page, back to the app with tokens. Each step is timed in <see cref="StepStats"/>.
/// </summary>
internal sealed class LoginDriver(LoadTarget target, StepStats stats)
{
    /// <summary>Up to the password page: the app's redirect to /authorize, and the page.</summary>
    public const string Authorize = "authorize";

    /// <summary>The password posted: hash, the rules at /authorize, the MFA page.</summary>
    public const string Password = "password";

    /// <summary>The TOTP code posted: the check, the redirect to the app, the app's code exchange.</summary>
    public const string MfaVerify = "mfa-verify";

    /// <summary>The TOTP code posted, up to the server's answer (its redirect not followed): MFA verification alone.</summary>
    public const string MfaCheck = "mfa-check";

    /// <summary>The whole login, from the sign-in link to the app's signed-in page.</summary>
    public const string Login = "login";

    /// <summary>A refresh-token grant at the token endpoint (the rules run again; no password hash).</summary>
    public const string Refresh = "refresh";

    /// <summary>A full login; afterwards the user holds a refresh token.</summary>
    public Task LoginAsync(LoadUser user) => stats.TimeAsync(Login, async () =>
    {
        using var browser = new PageBrowser();
        var challenge = await PasswordAsync(browser, user, timed: true);
        var signedIn = challenge.Has("code") ? await stats.TimeAsync(MfaVerify, () => CodeAsync(browser, challenge, user)) : challenge;
        await SignedInAsync(browser, signedIn, user);
        return true;
    });

    /// <summary>A sign-in of <paramref name="user"/> taken up to the MFA page, untimed, for <see cref="CheckAsync"/>.</summary>
    public async Task<PreparedCheck> PrepareCheckAsync(LoadUser user)
    {
        var browser = new PageBrowser();
        try
        {
            var challenge = await PasswordAsync(browser, user, timed: false);
            return challenge.Has("code") ? new PreparedCheck(this, user, browser, challenge)
                : throw new LoadException($"no MFA challenge for {user.Email}: ended on {challenge.Url}");
        }
        catch
        {
            browser.Dispose();
            throw;
        }
    }

    /// <summary>The code of a prepared sign-in posted and timed alone: the server passes it with a redirect onwards.</summary>
    public Task CheckAsync(PreparedCheck prepared) => stats.TimeAsync(MfaCheck, async () =>
    {
        using var browser = prepared.Browser;
        var status = await browser.SubmitUnfollowedAsync(prepared.Challenge, "Code", new Dictionary<string, string> { ["Code"] = prepared.User.TakeCode() });
        return status is HttpStatusCode.Redirect or HttpStatusCode.SeeOther ? true
            : throw new LoadException($"the code of {prepared.User.Email} was not passed: HTTP {(int)status} instead of a redirect onwards");
    });

    /// <summary>A sign-in waiting at the MFA page of <see cref="Driver"/>'s host.</summary>
    internal sealed record PreparedCheck(LoginDriver Driver, LoadUser User, PageBrowser Browser, PageBrowser.Page Challenge);

    /// <summary>The first login of a user: enrolls TOTP with the key the page shows, as a person types it into an app.</summary>
    public async Task EnrollAsync(LoadUser user)
    {
        using var browser = new PageBrowser();
        var enrollment = await PasswordAsync(browser, user, timed: false);
        var key = enrollment.Text("secret-key") ?? throw new LoadException($"no enrollment page for {user.Email}: ended on {enrollment.Url}");
        user.Key = OtpNet.Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal));
        var saved = await CodeAsync(browser, enrollment, user);
        var next = saved.Document.GetElementById("continue")?.GetAttribute("href") is { } href ? await browser.GetAsync(new Uri(saved.Url, href).ToString()) : saved;
        await SignedInAsync(browser, next, user);
    }

    /// <summary>The first login of a user of a tenant without MFA (<c>--no-mfa</c>): the password alone, for a refresh token.</summary>
    public async Task SignInAsync(LoadUser user)
    {
        using var browser = new PageBrowser();
        await SignedInAsync(browser, await PasswordAsync(browser, user, timed: false), user);
    }

    /// <summary>A refresh-token grant at the host that issued the user's token.</summary>
    public Task RefreshAsync(LoadUser user) => stats.TimeAsync(Refresh, async () =>
    {
        var issuer = user.TokenIssuer!;
        using var response = await issuer.Http.PostAsync(issuer.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = user.RefreshToken!, ["client_id"] = issuer.ClientId, ["client_secret"] = issuer.ClientSecret,
        }));
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (!response.IsSuccessStatusCode || !answer.RootElement.TryGetProperty("access_token", out _))
        {
            throw new LoadException($"refresh of {user.Email} refused: HTTP {(int)response.StatusCode} {answer.RootElement}");
        }

        if (answer.RootElement.TryGetProperty("refresh_token", out var rolled))
        {
            user.RefreshToken = rolled.GetString();
        }

        return true;
    });

    private async Task<PageBrowser.Page> PasswordAsync(PageBrowser browser, LoadUser user, bool timed)
    {
        var passwordPage = await Timed(timed, Authorize, async () =>
        {
            var page = await browser.GetAsync(target.AppUrl + "/login");
            return page.Has("password") ? page : throw new LoadException($"no password page: ended on {page.Url} (HTTP {(int)page.Status})");
        });
        return await Timed(timed, Password, () => browser.SubmitAsync(passwordPage, "Password",
            new Dictionary<string, string> { ["Email"] = user.Email, ["Password"] = target.UserPassword }));
    }

    private static Task<PageBrowser.Page> CodeAsync(PageBrowser browser, PageBrowser.Page page, LoadUser user) =>
        browser.SubmitAsync(page, "Code", new Dictionary<string, string> { ["Code"] = user.TakeCode() });

    private async Task SignedInAsync(PageBrowser browser, PageBrowser.Page page, LoadUser user)
    {
        if (!page.Url.ToString().StartsWith(target.AppUrl, StringComparison.Ordinal))
        {
            throw new LoadException($"login of {user.Email} ended on {page.Url} (HTTP {(int)page.Status}): {page.Text("mfa-error") ?? page.Text("login-error") ?? page.Document.Title}");
        }

        var me = await browser.GetAsync(target.AppUrl + "/me.json");
        using var json = JsonDocument.Parse(me.Html);
        user.RefreshToken = json.RootElement.GetProperty("refreshToken").GetString() ?? throw new LoadException($"no refresh token for {user.Email}");
        user.TokenIssuer = target;
    }

    private Task<T> Timed<T>(bool timed, string step, Func<Task<T>> action) => timed ? stats.TimeAsync(step, action) : action();
}
