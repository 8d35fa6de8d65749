using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Fluid;
using Microsoft.Extensions.Caching.Memory;

namespace RulesMfa.Host.Templating;

/// <summary>
/// Tenants' Liquid templates (page layouts, phone messages), parsed once per source and shared: a parsed Fluid
/// template is immutable and safe to render from many requests at once. The cache is keyed by the source itself, so a
/// template saved anew is parsed and used at its next rendering.
/// </summary>
/// <remarks>
/// Bounded in entries and in bytes of source: every entry costs its source's bytes, and never less than
/// <c>maxBytes / maxTemplates</c>, so one size limit holds both. A template that does not fit is parsed and not kept
/// (until the cache has made room); a template that does not parse is not kept either.
/// </remarks>
internal sealed partial class LiquidTemplates(int maxTemplates, long maxBytes)
{
    /// <summary>The most parsed templates the server keeps: 256.</summary>
    public const int MaxCachedTemplates = 256;

    /// <summary>The most bytes of template source the server keeps parsed: 8 MiB.</summary>
    public const long MaxCachedBytes = 8L * 1024 * 1024;

    private static readonly FluidParser Parser = new();

    private readonly MemoryCache parsed = new(new MemoryCacheOptions { SizeLimit = maxBytes });

    private readonly long minEntryBytes = maxBytes / maxTemplates;

    /// <summary>The server's one cache, shared by every tenant's templates.</summary>
    public static LiquidTemplates Shared { get; } = new(MaxCachedTemplates, MaxCachedBytes);

    /// <summary>How many parsed templates are kept now.</summary>
    public int Count => parsed.Count;

    /// <summary>Parses <paramref name="source"/>, or takes its parsed template from the cache.</summary>
    public bool TryParse(string source, [NotNullWhen(true)] out IFluidTemplate? template, [NotNullWhen(false)] out LiquidSyntaxError? error)
    {
        error = null;
        if (parsed.TryGetValue(source, out template) && template is not null)
        {
            return true;
        }

        if (!Parser.TryParse(source, out template, out var message))
        {
            template = null;
            error = SyntaxError(message);
            return false;
        }

        parsed.Set(source, template, new MemoryCacheEntryOptions { Size = Math.Max(minEntryBytes, source.Length * 2L) });
        return true;
    }

    // Fluid says where a template stops parsing as "(line:column)", both 1-based, and adds the source after its message.
    private static LiquidSyntaxError SyntaxError(string message)
    {
        var firstLine = message.ReplaceLineEndings("\n").Split('\n')[0].Trim();
        return PositionPattern().Match(message) is { Success: true } match
            ? new LiquidSyntaxError(firstLine, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : new LiquidSyntaxError(firstLine, null, null);
    }

    [GeneratedRegex(@"\((\d+):(\d+)\)")]
    private static partial Regex PositionPattern();
}
