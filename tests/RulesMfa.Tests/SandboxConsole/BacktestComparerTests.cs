using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Host.Admin;
using RulesMfa.Host.SandboxConsole.Backtest;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.SandboxConsole;

/// <summary>
/// A rule's redirect refuses the login here whatever the outcome, so a draft that adds, moves or drops one changes the
/// login although the outcome, factors and claims stay: each is counted, and an unchanged redirect is not.
/// </summary>
public sealed class BacktestComparerTests
{
    [TestCase(null, "https://consent.example/terms", BacktestComparer.RedirectRefused)]
    [TestCase("https://consent.example/terms", "https://consent.example/v2", BacktestComparer.RedirectRefused)]
    [TestCase("https://consent.example/terms", null, BacktestComparer.RedirectRemoved)]
    public void Compare_DraftChangesTheRedirectOnly_CountsItAsARedirectChange(string? recordedRedirect, string? draftRedirect, string kind)
    {
        var change = Compare(recordedRedirect, draftRedirect).Change;

        Assert.That(change?.Kinds, Is.EqualTo(new[] { kind }), "outcome allow on both sides, no factors, no claims");
    }

    [Test]
    public void Compare_TheSameRedirect_IsNoChange()
    {
        Assert.That(Compare("https://consent.example/terms", "https://consent.example/terms"), Is.EqualTo(new BacktestComparison(Skipped: false, null)));
    }

    private static BacktestComparison Compare(string? recordedRedirect, string? draftRedirect)
    {
        var login = Some.Login();
        var record = new DecisionRecord
        {
            Id = 1, TenantId = "demo", UserId = "auth0|64f1c0ffee", At = Some.Now, Protocol = "oidc-basic-profile", Plan = "",
            InputJson = $"{{\"user\":{login.User.ToJsonString()},\"context\":{login.Context.ToJsonString()}}}",
            DecisionJson = MfaDecisionJson.Serialize(Some.Decision(login, RedirectingTo(recordedRedirect))),
        };
        var clock = new ReplayClock();
        var draft = new RulePipeline([Some.Rule("r1", RedirectingTo(draftRedirect))], new RulePipelineSettings(), clock);

        return new BacktestComparer(draft, clock, SecretRedaction.None).Compare(record);
    }

    private static string RedirectingTo(string? url) =>
        $"function (user, context, callback) {{ {(url is null ? "" : $"context.redirect = {{ url: '{url}' }};")} callback(null, user, context); }}";
}
