using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace RulesMfa.Load;

/// <summary>
/// A browser without JavaScript, as the tests' FormBrowser: follows redirects, keeps cookies, and submits the pages'
/// real HTML forms (hidden fields such as the antiforgery token included).
/// </summary>
internal sealed class PageBrowser : IDisposable
{
    private static readonly HtmlParser Parser = new();
    private readonly CookieContainer cookies = new();
    private readonly HttpClient client;

    /// <summary>The same cookies, for a post whose answer is wanted as it is, its redirect not followed.</summary>
    private readonly HttpClient unfollowing;

    public PageBrowser()
    {
        client = new(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = true, MaxAutomaticRedirections = 20 });
        unfollowing = new(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false });
    }

    public async Task<Page> GetAsync(string url) => await Page.FromAsync(await client.GetAsync(url));

    /// <summary>Fills the one form that has <paramref name="field"/> and submits it.</summary>
    public async Task<Page> SubmitAsync(Page page, string field, IReadOnlyDictionary<string, string> fields)
    {
        var (action, values) = Fill(page, field, fields);
        return await Page.FromAsync(await client.PostAsync(action, values));
    }

    /// <summary>As <see cref="SubmitAsync"/>, but answers the server's own status, a redirect not followed.</summary>
    public async Task<HttpStatusCode> SubmitUnfollowedAsync(Page page, string field, IReadOnlyDictionary<string, string> fields)
    {
        var (action, values) = Fill(page, field, fields);
        using var response = await unfollowing.PostAsync(action, values);
        return response.StatusCode;
    }

    private static (Uri Action, FormUrlEncodedContent Values) Fill(Page page, string field, IReadOnlyDictionary<string, string> fields)
    {
        var form = page.Document.Forms.SingleOrDefault(form => form.Elements.OfType<IHtmlInputElement>().Any(input => input.Name == field))
            ?? throw new LoadException($"no form with '{field}' on {page.Url} (HTTP {(int)page.Status}): {page.Document.Title}");
        var values = form.Elements.OfType<IHtmlInputElement>()
            .Where(input => !string.IsNullOrEmpty(input.Name) && input.Type is "hidden")
            .ToDictionary(input => input.Name!, input => input.Value);
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        var action = new Uri(page.Url, string.IsNullOrEmpty(form.GetAttribute("action")) ? page.Url.PathAndQuery : form.GetAttribute("action")!);
        return (action, new FormUrlEncodedContent(values));
    }

    public void Dispose()
    {
        client.Dispose();
        unfollowing.Dispose();
    }

    internal sealed record Page(Uri Url, HttpStatusCode Status, string Html, IHtmlDocument Document)
    {
        public static async Task<Page> FromAsync(HttpResponseMessage response)
        {
            using (response)
            {
                var html = await response.Content.ReadAsStringAsync();
                return new Page(response.RequestMessage!.RequestUri!, response.StatusCode, html, Parser.ParseDocument(html));
            }
        }

        public bool Has(string id) => Document.GetElementById(id) is not null;

        public string? Text(string id) => Document.GetElementById(id)?.TextContent.Trim();
    }
}
