using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Evaluation;

/// <summary>Auth0 post-login Actions: the module form, event, and every api method.</summary>
public sealed class ActionsFormTests
{
    [Test]
    public void MultifactorEnable_RequestsTheProviderWithItsRememberBrowserOption()
    {
        var decision = Some.Decision("exports.onExecutePostLogin = async (event, api) => { api.multifactor.enable('any', { allowRememberBrowser: false }); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
            Assert.That(decision.Multifactor!.ToJsonString(), Is.EqualTo("""{"provider":"any","allowRememberBrowser":false}"""));
            Assert.That(decision.AllowRememberBrowser, Is.False);
            Assert.That(decision.Rules.Single().Kind, Is.EqualTo(RulesMfa.Engine.Compilation.RuleKind.Action));
        });
    }

    [Test]
    public void MultifactorEnableDuo_KeepsTheProviderOptionsDuoReads_AndNothingElse()
    {
        var decision = Some.Decision("""
            exports.onExecutePostLogin = async (event, api) => {
              api.multifactor.enable('duo', { providerOptions: { host: 'api-x.duosecurity.com', ikey: 'DIKEY', skey: 'secret', username: event.user.email, extra: 'dropped', port: 443 } });
            };
            """);

        Assert.That(decision.Multifactor!.ToJsonString(), Is.EqualTo(
            """{"provider":"duo","providerOptions":{"host":"api-x.duosecurity.com","ikey":"DIKEY","skey":"secret","username":"ada@example.com"}}"""));
    }

    [Test]
    public void MultifactorEnableNone_Allows()
    {
        var decision = Some.Decision("exports.onExecutePostLogin = async (event, api) => { api.multifactor.enable('none'); };");

        Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Allow));
    }

    [Test]
    public void ChallengeWith_ListsTheFactorThenTheAdditionalOnes()
    {
        var decision = Some.Decision(
            "exports.onExecutePostLogin = async (event, api) => { api.authentication.challengeWith({ type: 'otp' }, { additionalFactors: [{ type: 'email' }, { type: 'webauthn-roaming' }] }); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
            Assert.That(decision.Factors, Is.EqualTo(new[] { "otp", "email", "webauthn-roaming" }));
            Assert.That(decision.Enroll, Is.False);
            Assert.That(decision.Multifactor, Is.Null);
        });
    }

    [Test]
    public void ChallengeWithAny_ListsTheFactors()
    {
        var decision = Some.Decision(
            "exports.onExecutePostLogin = async (event, api) => { api.authentication.challengeWithAny([{ type: 'push-notification' }, { type: 'phone' }]); };");

        Assert.That(decision.Factors, Is.EqualTo(new[] { "push-notification", "phone" }));
    }

    [Test]
    public void ChallengeWith_KeepsEachFactorsOptions_AndALaterRequestWithoutThemDropsThem()
    {
        var withOptions = Some.Decision(
            "exports.onExecutePostLogin = async (event, api) => { api.authentication.challengeWith({ type: 'phone', options: { preferredMethod: 'voice' } }, { additionalFactors: [{ type: 'otp' }] }); };");
        var replaced = Some.Decision(
            "exports.onExecutePostLogin = async (event, api) => { api.authentication.challengeWith({ type: 'phone', options: { preferredMethod: 'voice' } }); };",
            "exports.onExecutePostLogin = async (event, api) => { api.authentication.challengeWithAny([{ type: 'phone' }]); };");

        Assert.Multiple(() =>
        {
            Assert.That(withOptions.FactorOptions!.ToJsonString(), Is.EqualTo("""{"phone":{"preferredMethod":"voice"}}"""));
            Assert.That(MfaDecisionJson.Serialize(withOptions), Does.Contain("\"factorOptions\":{\"phone\":{\"preferredMethod\":\"voice\"}}"));
            Assert.That(replaced.FactorOptions, Is.Null, "the later request, without options, wins");
            Assert.That(MfaDecisionJson.Serialize(replaced), Does.Not.Contain("factorOptions"));
        });
    }

    [Test]
    public void EnrollWith_DemandsEnrollment()
    {
        var decision = Some.Decision(
            "exports.onExecutePostLogin = async (event, api) => { api.authentication.enrollWith({ type: 'webauthn-platform' }, { additionalFactors: [{ type: 'otp' }] }); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
            Assert.That(decision.Factors, Is.EqualTo(new[] { "webauthn-platform", "otp" }));
            Assert.That(decision.Enroll, Is.True);
        });
    }

    [Test]
    public void EnrollWithAny_DemandsEnrollmentWithAnyOfTheFactors()
    {
        var decision = Some.Decision(
            "exports.onExecutePostLogin = async (event, api) => { api.authentication.enrollWithAny([{ type: 'otp' }, { type: 'recovery-code' }]); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Factors, Is.EqualTo(new[] { "otp", "recovery-code" }));
            Assert.That(decision.Enroll, Is.True);
        });
    }

    [TestCase("api.authentication.challengeWith({ type: 'sms-magic' })", "unknown factor type 'sms-magic'")]
    [TestCase("api.authentication.challengeWithAny([])", "non-empty array")]
    [TestCase("api.multifactor.enable()", "provider name")]
    [TestCase("api.idToken.setCustomClaim()", "needs a name")]
    public void ApiMisuse_IsATypeErrorThatDenies(string call, string expected)
    {
        var decision = Some.Decision($"exports.onExecutePostLogin = async (event, api) => {{ {call}; }};");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Error));
            Assert.That(decision.Error!.Description, Does.Contain(expected));
        });
    }

    [Test]
    public void AccessDeny_DeniesWithTheReasonAndStopsLaterActions()
    {
        var decision = Some.Decision(
            "exports.onExecutePostLogin = async (event, api) => { api.access.deny('Logins from this network are blocked.'); };",
            "exports.onExecutePostLogin = async (event, api) => { api.multifactor.enable('any'); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "Logins from this network are blocked.")));
            Assert.That(decision.Rules.Select(rule => rule.Status), Is.EqualTo(new[] { RuleStatus.Denied, RuleStatus.Skipped }));
        });
    }

    [Test]
    public void SetCustomClaim_SetsIdAndAccessTokenClaimsAndDropsReservedOnes()
    {
        var decision = Some.Decision(
            """
            exports.onExecutePostLogin = async (event, api) => {
              api.idToken.setCustomClaim('https://example.com/roles', event.user.app_metadata.roles)
                 .accessToken.setCustomClaim('https://example.com/tenant', event.tenant.id);
              api.idToken.setCustomClaim('amr', ['mfa']);
            };
            """);

        Assert.Multiple(() =>
        {
            Assert.That(decision.IdTokenClaims.ToJsonString(), Is.EqualTo("""{"https://example.com/roles":["admin"]}"""));
            Assert.That(decision.AccessTokenClaims.ToJsonString(), Is.EqualTo("""{"https://example.com/tenant":"demo"}"""));
            Assert.That(decision.Logs.Single().Message, Does.Contain("setCustomClaim('amr') names a reserved claim"));
        });
    }

    [TestCase("rulesmfa_mfa_at")]
    [TestCase("oi_scp")]
    [TestCase("RULESMFA_MFA_AT")]
    [TestCase("Amr")]
    public void SetCustomClaim_OfTheProvidersOwnClaims_IsDroppedAndLogged(string claim)
    {
        var decision = Some.Decision(
            $$"""
            exports.onExecutePostLogin = async (event, api) => {
              api.idToken.setCustomClaim('{{claim}}', Date.now());
              api.accessToken.setCustomClaim('{{claim}}', Date.now());
            };
            """);

        Assert.Multiple(() =>
        {
            Assert.That(decision.IdTokenClaims, Is.Empty);
            Assert.That(decision.AccessTokenClaims, Is.Empty);
            Assert.That(decision.Logs.Select(log => log.Message), Has.All.Contain($"setCustomClaim('{claim}') names a reserved claim"));
        });
    }

    [Test]
    public void SetCustomClaim_Undefined_LeavesNoClaimAsTheTokensJsonWould()
    {
        var decision = Some.Decision(
            """
            exports.onExecutePostLogin = async (event, api) => {
              api.idToken.setCustomClaim('https://example.com/plan', 'gold');
              api.idToken.setCustomClaim('https://example.com/plan', event.secrets.MISSING);
              api.idToken.setCustomClaim('https://example.com/none', null);
            };
            """);

        Assert.That(decision.IdTokenClaims.ToJsonString(), Is.EqualTo("""{"https://example.com/none":null}"""));
    }

    [Test]
    public void UserSetMetadata_BecomesPatches()
    {
        var decision = Some.Decision(
            "exports.onExecutePostLogin = async (event, api) => { api.user.setAppMetadata('risk', 'low'); api.user.setUserMetadata('lang', 'nl'); api.user.setAppMetadata('roles', undefined); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.AppMetadata.ToJsonString(), Is.EqualTo("""{"risk":"low","roles":null}"""));
            Assert.That(decision.UserMetadata.ToJsonString(), Is.EqualTo("""{"lang":"nl"}"""));
        });
    }

    [Test]
    public void RedirectSendUserTo_RecordsTheUrlWithItsQuery_AndLogsAgainstTheActionThatTheLoginWillBeRefused()
    {
        var decision = Some.Decision(
            "exports.onExecutePostLogin = async (event, api) => { api.redirect.sendUserTo('https://example.com/verify', { query: { user: event.user.user_id } }); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Redirect, Is.EqualTo("https://example.com/verify?user=auth0%7C64f1c0ffee"));
            Assert.That(decision.Logs.Select(log => (log.Rule, log.Level, log.Message)), Is.EqualTo(new[]
            {
                ("r1", "warn", "api.redirect.sendUserTo asks to send the user to another page, which this server does not do: the login will be refused"),
            }));
        });
    }

    [Test]
    public void ModuleExports_AndHelpersInTheModule_Work()
    {
        var decision = Some.Decision(
            """
            const ADMIN = 'admin';
            function isAdmin(user) { return (user.app_metadata.roles || []).includes(ADMIN); }
            module.exports = {
              onExecutePostLogin: async function (event, api) { if (isAdmin(event.user)) api.multifactor.enable('any'); }
            };
            """);

        Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
    }

    [Test]
    public void AwaitAndPromiseAll_Work()
    {
        var decision = Some.Decision(
            """
            exports.onExecutePostLogin = async (event, api) => {
              const [a, b] = await Promise.all([Promise.resolve(1), new Promise(resolve => resolve(2))]);
              api.idToken.setCustomClaim('https://x/sum', a + b);
            };
            """);

        Assert.That(decision.IdTokenClaims["https://x/sum"]!.GetValue<int>(), Is.EqualTo(3));
    }

    [Test]
    public void RejectedAction_DeniesWithStatusError()
    {
        var decision = Some.Decision("exports.onExecutePostLogin = async (event, api) => { await null; throw new Error('lookup failed'); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "lookup failed")));
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Error));
        });
    }

    [Test]
    public void NeverSettlingAction_IsATimeoutThatFailsClosed()
    {
        var decision = Some.Decision("exports.onExecutePostLogin = (event, api) => new Promise(() => {});");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Timeout));
            Assert.That(decision.Error!.Description, Does.Contain("never settled"));
        });
    }

    [Test]
    public void ExportReplacedByANonFunctionAtRunTime_Denies()
    {
        var decision = Some.Decision("exports.onExecutePostLogin = async () => {};\nexports.onExecutePostLogin = 42;");

        Assert.That(decision.Error!.Description, Does.Contain("does not export an onExecutePostLogin function"));
    }

    [Test]
    public void Secrets_AreTheConfiguration()
    {
        var settings = new RulePipelineSettings { Configuration = new Dictionary<string, string> { ["ALLOWED"] = "client-web" } };

        var decision = Some.Decision(Some.Login(), settings,
            "exports.onExecutePostLogin = async (event, api) => { if (event.secrets.ALLOWED === event.client.client_id) api.multifactor.enable('any'); };");

        Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
    }

    [Test]
    public void Event_IsACopyPerAction()
    {
        var decision = Some.Decision(
            "exports.onExecutePostLogin = async (event) => { event.user.email = 'changed'; };",
            "exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://x/email', event.user.email); };");

        Assert.That(decision.IdTokenClaims["https://x/email"]!.GetValue<string>(), Is.EqualTo("ada@example.com"));
    }
}
