namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// What a tenant admin's rule (or a user's data in its error) puts into the server's console log stays on its own log
/// line: a rule's error is logged (rules.fault), and its line breaks started lines that read as the server's own (a forged
/// "Audit mfa.reset") while its ANSI escapes drove the operator's terminal.
/// </summary>
[NonParallelizable]
public sealed class ConsoleLogInjectionAttackTests
{
    private const string Tenant = "loginject";
    private const string Password = "a long enough password";
    private const string Rule = """
        function (user, context, callback) {
          throw new Error('boom\n[09:00:00 INF] Audit mfa.reset: every factor of ceo@loginject.example removed\u001b[2J');
        }
        """;

    [Test]
    public async Task RuleErrorWithLineBreaksAndEscapes_IsOneConsoleLine_WithThemEscaped()
    {
        await using var server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant);
        await server.SetRulesAsync(Tenant, ("010-throws", Rule));
        await server.AddUserAsync(Tenant, "user@loginject.example", Password);
        await using var app = await RelyingParty.StartAsync(server, Tenant, "loginject-web");
        var captured = new StringWriter();
        var original = Console.Out;

        Console.SetOut(captured);
        try
        {
            using var browser = new FormBrowser();
            await LoginFlow.SignInAsync(browser, app, "user@loginject.example", Password);
        }
        finally
        {
            Console.SetOut(original);
        }

        var lines = captured.ToString().Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.None.StartsWith("[09:00:00 INF] Audit mfa.reset"), "no line of the rule's own");
            Assert.That(captured.ToString(), Does.Not.Contain("\u001b[2J"));
            Assert.That(lines.Where(line => line.Contains("rules.fault", StringComparison.Ordinal)),
                Has.One.Contains("boom\\n[09:00:00 INF] Audit mfa.reset: every factor of ceo@loginject.example removed\\u001b[2J"));
        });
    }
}
