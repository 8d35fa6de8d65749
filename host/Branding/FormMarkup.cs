using System.Text.RegularExpressions;

namespace RulesMfa.Host.Branding;

/// <summary>
/// Finds markup that takes what users type or sends it somewhere: a <c>form</c>, <c>input</c>, <c>button</c>,
/// <c>textarea</c>, <c>select</c>, <c>isindex</c> or <c>keygen</c> element. A template's form around the page's content
/// takes the page's own fields (a browser ignores the page's nested <c>&lt;form&gt;</c> tag) and posts the password and
/// codes to the template's action; a field of its own asks for them beside the page. Only the page's own forms may.
/// </summary>
public static partial class FormMarkup
{
    /// <summary>Why such markup is refused, as the end of a problem's message.</summary>
    public const string Why = "only the page's own forms take what users type";

    /// <summary>The first such element in <paramref name="html"/>: what it is and where it starts, or null.</summary>
    public static (string What, int Index)? Find(string html) =>
        Element().Match(html) is { Success: true } element ? ($"a <{element.Groups[1].Value.ToLowerInvariant()}> element", element.Index) : null;

    [GeneratedRegex(@"<\s*/?\s*(form|input|button|textarea|select|isindex|keygen)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Element();
}
