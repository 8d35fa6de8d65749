using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// A browser without JavaScript: follows redirects, keeps cookies, and submits the pages' real HTML forms
/// (hidden fields such as the antiforgery token included).
/// </summary>
internal sealed class FormBrowser : IDisposable
{
    private readonly HttpClient client;

    /// <param name="headers">Headers sent with every request.</param>
    /// <param name="chainPolicy">How HTTPS certificates are trusted (a test's private root, as a browser with a custom CA); default the system's.</param>
    /// <param name="balancer">Hosts behind one address: every request (redirects included) is sent where the balancer points.</param>
    public FormBrowser(
        IReadOnlyDictionary<string, string>? headers = null, System.Security.Cryptography.X509Certificates.X509ChainPolicy? chainPolicy = null,
        LoadBalancer? balancer = null)
    {
        client = new HttpClient(new SocketsHttpHandler
        {
            CookieContainer = Cookies, AllowAutoRedirect = true, MaxAutomaticRedirections = 20,
            SslOptions = { CertificateChainPolicy = chainPolicy },
            ConnectCallback = balancer is null ? null : balancer.ConnectAsync,
        });
        // A new connection per request, so that each request goes where the balancer points at the time.
        client.DefaultRequestHeaders.ConnectionClose = balancer is not null;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            client.DefaultRequestHeaders.Add(name, value);
        }
    }

    /// <summary>The browser's cookies, as the server set them (paths included).</summary>
    public CookieContainer Cookies { get; } = new();

    /// <summary>Sends a request of a script on the page (with the browser's cookies).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => client.SendAsync(request);

    public async Task<Page> GetAsync(string url) => await Page.FromAsync(await client.GetAsync(url));

    /// <summary>Fills the form that contains <paramref name="fieldName"/> (or the only form) and submits it.</summary>
    public async Task<Page> SubmitAsync(Page page, IReadOnlyDictionary<string, string> fields, string? formWithField = null)
    {
        var (action, values) = Fill(page, fields, formWithField);
        return await Page.FromAsync(await client.PostAsync(action, new FormUrlEncodedContent(values)));
    }

    /// <summary>
    /// Submits the form as <see cref="SubmitAsync"/> does, with the browser's cookies, but does not follow the answer's
    /// redirect: the caller reads where the server sends the browser (its <c>Location</c>).
    /// </summary>
    public async Task<HttpResponseMessage> SubmitWithoutRedirectAsync(Page page, IReadOnlyDictionary<string, string> fields, string? formWithField = null)
    {
        var (action, values) = Fill(page, fields, formWithField);
        using var unfollowed = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false });
        return await unfollowed.PostAsync(action, new FormUrlEncodedContent(values));
    }

    private static (Uri Action, Dictionary<string, string> Values) Fill(Page page, IReadOnlyDictionary<string, string> fields, string? formWithField)
    {
        var forms = page.Document.Forms.Where(form => formWithField is null || form.Elements.OfType<IHtmlInputElement>().Any(input => input.Name == formWithField)).ToList();
        var form = forms.Count == 1 ? forms[0] : throw new InvalidOperationException($"Expected one form on {page.Url}, found {forms.Count}:\n{page.Html}");
        var values = form.Elements.OfType<IHtmlInputElement>()
            .Where(input => !string.IsNullOrEmpty(input.Name) && input.Type is "hidden")
            .ToDictionary(input => input.Name!, input => input.Value);
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        return (new Uri(page.Url, string.IsNullOrEmpty(form.GetAttribute("action")) ? page.Url.PathAndQuery : form.GetAttribute("action")!), values);
    }

    public Task<HttpResponseMessage> PostAsync(string url, IReadOnlyDictionary<string, string> fields) => client.PostAsync(url, new FormUrlEncodedContent(fields));

    public void Dispose() => client.Dispose();

    internal sealed record Page(Uri Url, HttpStatusCode Status, string Html, IHtmlDocument Document, HttpResponseHeaders Headers)
    {
        public static async Task<Page> FromAsync(HttpResponseMessage response)
        {
            var html = await response.Content.ReadAsStringAsync();
            return new Page(response.RequestMessage!.RequestUri!, response.StatusCode, html, new HtmlParser().ParseDocument(html), response.Headers);
        }

        /// <summary>A response header's values, comma-separated; empty when absent.</summary>
        public string Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";

        public string? Text(string id) => Document.GetElementById(id)?.TextContent.Trim();
    }
}
