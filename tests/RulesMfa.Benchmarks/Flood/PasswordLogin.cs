using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace RulesMfa.Benchmarks.Flood;

/// <summary>
/// One full password login as a person's browser makes it: the sample app's sign-in link, the tenant's password page
/// (its real form, antiforgery token included), the rules at <c>/connect/authorize</c>, the code back to the app and the
/// app's token exchange. A fresh browser each time (no session).
/// </summary>
internal static class PasswordLogin
{
    /// <summary>Null when the app ends up with the user; otherwise what went wrong.</summary>
    public static async Task<string?> RunAsync(string appUrl, string email, string password, CancellationToken cancellationToken)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true, MaxAutomaticRedirections = 20 };
        using var browser = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var page = await browser.GetAsync(appUrl + "/login", cancellationToken);
        var html = await page.Content.ReadAsStringAsync(cancellationToken);
        var form = new HtmlParser().ParseDocument(html).Forms.SingleOrDefault();
        if (form is null)
        {
            return $"no password form at {page.RequestMessage?.RequestUri} ({(int)page.StatusCode})";
        }

        var fields = form.Elements.OfType<IHtmlInputElement>().Where(input => input.Type == "hidden" && !string.IsNullOrEmpty(input.Name))
            .ToDictionary(input => input.Name!, input => input.Value);
        fields["Email"] = email;
        fields["Password"] = password;
        var action = new Uri(page.RequestMessage!.RequestUri!, string.IsNullOrEmpty(form.GetAttribute("action")) ? page.RequestMessage.RequestUri!.PathAndQuery : form.GetAttribute("action")!);
        var signedIn = await browser.PostAsync(action, new FormUrlEncodedContent(fields), cancellationToken);
        var me = await browser.GetAsync(appUrl + "/me.json", cancellationToken);
        return me.StatusCode == HttpStatusCode.OK ? null : $"not signed in: ended at {signedIn.RequestMessage?.RequestUri} ({(int)signedIn.StatusCode})";
    }
}
