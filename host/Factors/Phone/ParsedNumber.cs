namespace RulesMfa.Host.Factors.Phone;

/// <summary>A parsed phone number: <paramref name="E164"/>, or the <paramref name="Problem"/> to show.</summary>
public sealed record ParsedNumber(string? E164, string? Problem)
{
    public static ParsedNumber Invalid(string problem) => new(null, problem);
}
