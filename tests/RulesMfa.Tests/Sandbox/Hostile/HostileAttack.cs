using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Engine.Sandbox;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// One hostile rule, <c>evil</c>, in the pipeline of the tenant "mallory" before that tenant's normal Rule and
/// Action, launched on the attacker's login; then the checks that it was contained and harmed nobody else.
/// The attack fires only for the attacker's login, so the same pipeline serves a normal login afterwards.
/// </summary>
internal sealed class HostileAttack
{
    public const string Id = "evil";

    public const string AttackerEmail = "mallory@example.com";

    /// <summary>First line of a hostile Rule: everyone but the attacker passes through untouched.</summary>
    public const string RuleGuard = $"if (user.email !== '{AttackerEmail}') {{ return callback(null, user, context); }}";

    /// <summary>First line of a hostile Action: everyone but the attacker passes through untouched.</summary>
    public const string ActionGuard = $"if (event.user.email !== '{AttackerEmail}') {{ return; }}";

    public const string RuleClaim = "https://example.com/rule";

    public const string ActionClaim = "https://example.com/action";

    /// <summary>
    /// True when the builtins and the global object are as a fresh engine has them. Written with operators only,
    /// so a polluted builtin cannot vouch for itself.
    /// </summary>
    public const string Pristine =
        """
        (({}).polluted === undefined && Object.keys(Object.prototype).length === 0 && !('hidden' in {})
          && [3].includes(3) && ![3].includes(4) && [1, 2].map(x => x * 2).join() === '2,4'
          && JSON.parse('{"a":1}').a === 1 && JSON.stringify({ a: 1 }) === '{"a":1}'
          && Math.max(1, 2) === 2 && Math.random() !== Math.random()
          && typeof global.stash === 'undefined' && typeof globalThis.stash === 'undefined')
        """;

    /// <summary>The tenant's normal Rule: MFA, and a claim with its configuration and whether the builtins are pristine.</summary>
    public const string NormalRule =
        $$"""
        function normalRule(user, context, callback) {
          context.multifactor = true;
          context.idToken['{{RuleClaim}}'] = [configuration.TENANT, {{Pristine}}];
          callback(null, user, context);
        }
        """;

    /// <summary>The tenant's normal Action: the same, through <c>api</c> and <c>event.secrets</c>.</summary>
    public const string NormalAction =
        $$"""
        exports.onExecutePostLogin = async (event, api) => {
          api.multifactor.enable('any');
          api.idToken.setCustomClaim('{{ActionClaim}}', [event.secrets.TENANT, {{Pristine}}]);
        };
        """;

    public static readonly IReadOnlyDictionary<string, string> MalloryConfiguration =
        new Dictionary<string, string> { ["TENANT"] = "mallory", ["SECRET"] = "mallory-secret-42" };

    public static readonly IReadOnlyDictionary<string, string> AcmeConfiguration =
        new Dictionary<string, string> { ["TENANT"] = "acme" };

    /// <summary>
    /// Another tenant's long-lived pipeline, shared by every test as a real host shares it, with default limits but for
    /// time: its logins must not be denied by a timeout when parallel tests on a loaded machine stretch a 1 ms rule past
    /// 250 ms, which would hide what the tests look for (whether the attacker's changes reached it).
    /// </summary>
    private static readonly Lazy<RulePipeline> OtherTenant = new(() => new RulePipeline(
        [Some.Rule("acme-rule", NormalRule), Some.Rule("acme-action", NormalAction)],
        new RulePipelineSettings { Configuration = AcmeConfiguration, Limits = GenerousTime(new SandboxLimits()) },
        new FixedTimeProvider(Some.Now)));

    private HostileAttack(string source, Action<SandboxLimits>? configure)
    {
        configure?.Invoke(Limits);
        Pipeline = new RulePipeline(
            [Some.Rule(Id, source), Some.Rule("normal-rule", NormalRule), Some.Rule("normal-action", NormalAction)],
            new RulePipelineSettings { Configuration = MalloryConfiguration, Limits = Limits },
            new FixedTimeProvider(Some.Now));
    }

    public SandboxLimits Limits { get; } = new();

    /// <summary>Sees every attacker decision launched on this thread (the determinism check repeats the hostile tests with it).</summary>
    [ThreadStatic]
    private static Action<MfaDecision>? observer;

    /// <summary>Runs <paramref name="test"/> and returns the attacker decisions it launched, in order.</summary>
    public static List<MfaDecision> Observe(Action test)
    {
        var decisions = new List<MfaDecision>();
        observer = decisions.Add;
        try
        {
            test();
        }
        finally
        {
            observer = null;
        }

        return decisions;
    }

    /// <summary>Hands a hostile test's decision to <see cref="Observe"/>; <see cref="Launch"/> does it for its own.</summary>
    public static MfaDecision Record(MfaDecision decision)
    {
        observer?.Invoke(decision);
        return decision;
    }

    /// <summary>The attacker tenant's pipeline: evil, normal-rule, normal-action (Rules before Actions).</summary>
    public RulePipeline Pipeline { get; }

    /// <summary>The decision on the attacker's login.</summary>
    public MfaDecision Decision { get; private set; } = null!;

    /// <summary>What the attacker's login allocated on this thread (measured for in-process attacks only).</summary>
    public long AllocatedBytes { get; private set; }

    public RuleTrace Trace => Decision.Rules.Single(rule => rule.Id == Id);

    public static LoginContext AttackerLogin() => Some.Login(user: $$"""{"user_id": "auth0|mallory", "email": "{{AttackerEmail}}"}""");

    /// <summary>A Rule whose body runs only on the attacker's login, and calls back if it ever finishes.</summary>
    public static string EvilRule(string body) =>
        $"function evil(user, context, callback) {{\n  {RuleGuard}\n{body}\n  callback(null, user, context);\n}}";

    /// <summary>An async Action whose body runs only on the attacker's login.</summary>
    public static string EvilAction(string body) =>
        $"exports.onExecutePostLogin = async (event, api) => {{\n  {ActionGuard}\n{body}\n}};";

    /// <summary>Limits with 10 s per rule and 20 s per login, for tests about anything but time.</summary>
    public static SandboxLimits GenerousTime(SandboxLimits limits)
    {
        limits.RuleTimeout = TimeSpan.FromSeconds(10);
        limits.PipelineTimeout = TimeSpan.FromSeconds(20);
        return limits;
    }

    public static HostileAttack Rule(string body, Action<SandboxLimits>? limits = null) => Launch(EvilRule(body), limits);

    public static HostileAttack Action(string body, Action<SandboxLimits>? limits = null) => Launch(EvilAction(body), limits);

    /// <summary>Runs a whole hostile source (it must guard itself with <see cref="RuleGuard"/> or <see cref="ActionGuard"/>) in this process.</summary>
    public static HostileAttack Launch(string source, Action<SandboxLimits>? limits = null)
    {
        var attack = new HostileAttack(source, limits);
        var login = AttackerLogin();
        var before = GC.GetAllocatedBytesForCurrentThread();
        attack.Decision = attack.Pipeline.Evaluate(login);
        attack.AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Record(attack.Decision);
        return attack;
    }

    /// <summary>
    /// Runs the attacker's login through the real CLI in a child process (default limits, or a longer rule time limit
    /// where time is not what the test is about), so a regression that overflows the stack kills only the child; the
    /// in-process pipeline with the same rules serves the checks after.
    /// </summary>
    public static HostileAttack LaunchInChildProcess(string source, TimeSpan? ruleTimeout = null)
    {
        var attack = new HostileAttack(source, configure: null);
        attack.Decision = HostileCli.Evaluate(source, AttackerLogin(), ruleTimeout);
        Record(attack.Decision);
        return attack;
    }

    public void AssertContained(params Stop[] accepted) => AssertContained(Decision, accepted);

    /// <summary>
    /// The attack was stopped as one of <paramref name="accepted"/>, the default fail mode denied, the reason names
    /// the rule, nothing after it ran, and no internal error of the engine was part of it (an error of ours is a
    /// deny too, but it shows that the engine, not a protection, gave way).
    /// </summary>
    public static void AssertContained(MfaDecision decision, params Stop[] accepted)
    {
        var evil = decision.Rules.Single(rule => rule.Id == Id);
        Assert.Multiple(() =>
        {
            Assert.That(accepted.Any(stop => stop.Matches(decision, evil)), Is.True,
                $"rule '{Id}' ended as {new Stop(evil.Status, evil.Limit, decision.Error?.Description)}; expected one of: {string.Join(", ", accepted.AsEnumerable())}");
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny), "the default fail mode denies");
            Assert.That(decision.Error?.Code, Is.EqualTo(DecisionError.AccessDenied));
            Assert.That(decision.Logs.Select(log => log.Message), Has.None.Contain(RuleFaults.InternalErrorLog), "an internal error of the engine");
            Assert.That(decision.Error?.Description, Does.Not.Contain("internal error"), "an internal error of the engine");
            if (evil.Status is RuleStatus.Timeout or RuleStatus.Limit)
            {
                Assert.That(decision.Error?.Description, Does.Contain($"'{Id}'"), "a fault's reason names the rule");
            }
            else
            {
                // A rule's own error is described by its message, as in Auth0 (DESIGN, MfaDecision); the trace
                // and the error line of the log name the rule.
                Assert.That(decision.Logs.Any(log => log.Rule == Id && log.Level == "error"), Is.True, "an error line names the rule");
            }

            Assert.That(decision.Rules[^1].Status, Is.EqualTo(RuleStatus.Skipped), "the rules after the attack did not run");
            Assert.That(decision.IdTokenClaims.ContainsKey(ActionClaim), Is.False, "the normal Action did not run");
        });
    }

    /// <summary>A normal login right after, on the attacker tenant's pipeline and on another tenant's, is decided as usual.</summary>
    public void AssertOthersUnharmed()
    {
        var sameTenant = Pipeline.Evaluate(Some.Login());
        var otherTenant = OtherTenant.Value.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            AssertNormal(sameTenant, "mallory", "the attacker tenant's next login");
            AssertNormal(otherTenant, "acme", "another tenant's login");
        });
    }

    /// <summary>Another tenant's pipeline: built once, default limits, <see cref="AcmeConfiguration"/>.</summary>
    public static MfaDecision OtherTenantDecision(LoginContext login) => OtherTenant.Value.Evaluate(login);

    public static void AssertNormal(MfaDecision decision, string tenant, string who)
    {
        var expectedClaim = $"[\"{tenant}\",true]";
        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa), who);
            Assert.That(decision.Error, Is.Null, who);
            Assert.That(decision.Rules.Select(rule => rule.Status), Is.All.EqualTo(RuleStatus.Ok), who);
            Assert.That(decision.IdTokenClaims[RuleClaim]?.ToJsonString(), Is.EqualTo(expectedClaim), $"{who}: the Rule's configuration and builtins");
            Assert.That(decision.IdTokenClaims[ActionClaim]?.ToJsonString(), Is.EqualTo(expectedClaim), $"{who}: the Action's secrets and builtins");
            Assert.That(decision.Logs, Is.Empty, who);
        });
    }
}
