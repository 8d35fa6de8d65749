using System.Net;
using System.Text.RegularExpressions;

namespace RulesMfa.Host.Branding;

/// <summary>
/// Finds markup that runs script or changes where the page's links and forms point: a <c>script</c>, <c>iframe</c>,
/// <c>frame</c>, <c>object</c>, <c>embed</c>, <c>base</c> or <c>meta</c> element, an inline event handler
/// (<c>onclick=</c>), or a <c>javascript:</c> or <c>vbscript:</c> URL, also when spelled with character references.
/// </summary>
public static partial class ScriptMarkup
{
    /// <summary>The first such markup in <paramref name="html"/>: what it is and where it starts (-1 when only its decoded form shows it), or null.</summary>
    public static (string What, int Index)? Find(string html)
    {
        if (Element().Match(html) is { Success: true } element)
        {
            return ($"a <{element.Groups[1].Value.ToLowerInvariant()}> element", element.Index);
        }

        if (EventHandler().Match(html) is { Success: true } handler)
        {
            return ($"an inline event handler ({handler.Groups[1].Value.ToLowerInvariant()}=)", handler.Groups[1].Index);
        }

        if (ScriptUrl().Match(html) is { Success: true } url)
        {
            return ($"a {url.Groups[1].Value.ToLowerInvariant()}: URL", url.Index);
        }

        // Character references and control characters hide a URL scheme from the eye but not from the browser.
        var decoded = Invisible().Replace(WebUtility.HtmlDecode(html), "");
        return ScriptUrl().Match(decoded) is { Success: true } hidden ? ($"a {hidden.Groups[1].Value.ToLowerInvariant()}: URL", -1) : null;
    }

    [GeneratedRegex(@"<\s*/?\s*(script|iframe|frame|frameset|object|embed|applet|base|meta)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Element();

    [GeneratedRegex(@"<[a-z][^>]*?[\s/""'](on[a-z]+)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EventHandler();

    [GeneratedRegex(@"(javascript|vbscript)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ScriptUrl();

    [GeneratedRegex(@"[\s\u0000-\u001f]+")]
    private static partial Regex Invisible();
}
