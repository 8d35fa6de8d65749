using AngleSharp.Html.Dom;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>The push factor's pages as a browser without JavaScript uses them: each button posts its own form.</summary>
internal static class PushPages
{
    /// <summary>Submits the form whose <c>FactorAction</c> is <paramref name="action"/> (<c>check</c>, <c>send</c>, <c>code</c>, <c>confirm</c>).</summary>
    public static async Task<FormBrowser.Page> SubmitAsync(FormBrowser browser, FormBrowser.Page page, string action, IReadOnlyDictionary<string, string>? fields = null)
    {
        var form = page.Document.Forms.SingleOrDefault(candidate => candidate.Elements.OfType<IHtmlInputElement>().Any(input => input.Name == "FactorAction" && input.Value == action))
            ?? throw new AssertionException($"no form for '{action}' on {page.Url}:\n{page.Html}");
        var values = form.Elements.OfType<IHtmlInputElement>().Where(input => input.Type == "hidden").ToDictionary(input => input.Name!, input => input.Value);
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            values[name] = value;
        }

        var target = new Uri(page.Url, string.IsNullOrEmpty(form.GetAttribute("action")) ? page.Url.PathAndQuery : form.GetAttribute("action")!);
        return await FormBrowser.Page.FromAsync(await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(values) }));
    }

    public static string Digits(FormBrowser.Page challenge) =>
        challenge.Text("push-digits") ?? throw new AssertionException($"no digits on {challenge.Url}:\n{challenge.Html}");
}
