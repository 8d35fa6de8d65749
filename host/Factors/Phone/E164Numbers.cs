using PhoneNumbers;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// Phone numbers as the factor keeps them: parsed and validated by libphonenumber, stored in E.164 (<c>+15551234567</c>),
/// and shown masked everywhere but in the message that goes to them.
/// </summary>
public static class E164Numbers
{
    // Longer input is not worth parsing: no phone number needs it.
    private const int MaxInputLength = 64;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// <paramref name="input"/> as an E.164 number, reading a number without <c>+</c> as one of
    /// <paramref name="defaultRegion"/>; or the problem, in words a user understands.
    /// </summary>
    public static ParsedNumber Parse(string? input, string? defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxInputLength)
        {
            return ParsedNumber.Invalid("Enter your phone number with its country code, such as +1 555 123 4567.");
        }

        try
        {
            var number = Util.Parse(input, defaultRegion ?? "ZZ");
            return Util.IsValidNumber(number)
                ? new ParsedNumber(Util.Format(number, PhoneNumberFormat.E164), null)
                : ParsedNumber.Invalid("This is not a valid phone number. Check it, and include the country code, such as +44.");
        }
        catch (NumberParseException)
        {
            return ParsedNumber.Invalid(defaultRegion is null
                ? "Enter your phone number with its country code, such as +1 555 123 4567."
                : "This does not look like a phone number. Enter it with its country code, such as +44 20 7946 0000.");
        }
    }

    /// <summary>True for a region libphonenumber knows (ISO 3166 alpha-2, upper case: <c>US</c>).</summary>
    public static bool IsRegion(string region) => Util.GetSupportedRegions().Contains(region);

    /// <summary>The number as pages, rules and logs show it: its last two digits only (<c>XXXXXXXX67</c>).</summary>
    public static string Mask(string e164) => "XXXXXXXX" + (e164.Length >= 2 ? e164[^2..] : "");
}
