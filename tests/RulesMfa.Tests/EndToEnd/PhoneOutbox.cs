using System.Text.RegularExpressions;
using RulesMfa.Host.Factors.Phone;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>What the development outbox holds for a number, as the person with that phone would read or hear it.</summary>
internal static partial class PhoneOutbox
{
    public static string PathOf(RulesMfaServer server) => Path.Combine(server.DataFolder, OutboxPhoneSender.DefaultFileName);

    /// <summary>Every message to <paramref name="number"/>, oldest first.</summary>
    public static IReadOnlyList<Message> MessagesTo(RulesMfaServer server, string number)
    {
        var path = PathOf(server);
        if (!File.Exists(path))
        {
            return [];
        }

        return File.ReadAllText(path).Split(OutboxPhoneSender.Separator, StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Trim())
            .Where(entry => entry.StartsWith($"To: {number}\n", StringComparison.Ordinal))
            .Select(entry => new Message(Field(entry, "Channel"), Field(entry, "Action"), entry[(entry.IndexOf("\n\n", StringComparison.Ordinal) + 2)..].Trim()))
            .ToList();
    }

    /// <summary>The code of the latest message to <paramref name="number"/>: six digits, or spoken as <c>1, 2, 3, 4, 5, 6</c>.</summary>
    public static string LatestCode(RulesMfaServer server, string number)
    {
        var messages = MessagesTo(server, number);
        Assert.That(messages, Is.Not.Empty, $"no message to {number} in the outbox");
        return CodeIn(messages[^1].Text);
    }

    /// <summary>The six digits of a message's code, written or spoken.</summary>
    public static string CodeIn(string text) => CodePattern().Match(text).Value.Replace(", ", "", StringComparison.Ordinal);

    private static string Field(string entry, string name) =>
        Regex.Match(entry, $"^{name}: (.*)$", RegexOptions.Multiline).Groups[1].Value.Trim();

    [GeneratedRegex(@"\d(, \d){5}|\d{6}")]
    private static partial Regex CodePattern();

    public sealed record Message(string Channel, string Action, string Text);
}
