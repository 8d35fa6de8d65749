using System.Globalization;
using System.Text.RegularExpressions;

namespace RulesMfa.Host.Branding;

/// <summary>
/// A tenant's primary colour (<c>#rrggbb</c>): the hosted pages' buttons and header rule, with white text on it, so it
/// must be dark enough for that text to be read (a contrast of at least 4.5:1, WCAG 2 level AA).
/// </summary>
public static partial class BrandColor
{
    /// <summary>The least contrast against white text: 4.5.</summary>
    public const double MinContrast = 4.5;

    /// <summary>What is wrong with <paramref name="color"/>, or null.</summary>
    public static string? Problem(string color)
    {
        if (!Pattern().IsMatch(color))
        {
            return "must be a colour written #rrggbb (six hexadecimal digits)";
        }

        var contrast = ContrastWithWhite(color);
        return contrast < MinContrast
            ? $"is too light for the white text on it: contrast {contrast:0.00}:1, at least {MinContrast}:1 is needed"
            : null;
    }

    /// <summary>The WCAG 2 contrast ratio of white against <paramref name="color"/>.</summary>
    public static double ContrastWithWhite(string color)
    {
        double Channel(int offset)
        {
            var value = int.Parse(color.AsSpan(offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return value <= 0.04045 ? value / 12.92 : Math.Pow((value + 0.055) / 1.055, 2.4);
        }

        var luminance = (0.2126 * Channel(1)) + (0.7152 * Channel(3)) + (0.0722 * Channel(5));
        return 1.05 / (luminance + 0.05);
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex Pattern();
}
