using BenchmarkDotNet.Attributes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;

namespace RulesMfa.Benchmarks;

/// <summary>
/// What a login costs when its rule requires an npm module (issue 7): the office-network rule of Auth0's gallery
/// with <c>ipaddr.js</c>, a roles rule with <c>lodash</c>, and the same roles rule without any module (a fresh
/// engine per login). Rule sets with modules run on engines reused per rule set with the modules loaded once.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[OperationsPerSecond]
public class ModuleBenchmarks
{
    private const string IpaddrRule =
        """
        function (user, context, callback) {
          const ipaddr = require('ipaddr.js');
          const address = ipaddr.parse(context.request.ip);
          const inOffice = ['10.0.0.0/8', '192.168.0.0/16'].some((range) => {
            const cidr = ipaddr.parseCIDR(range);
            return address.kind() === cidr[0].kind() && address.match(cidr);
          });
          if (!inOffice) { context.multifactor = { provider: 'any', allowRememberBrowser: false }; }
          callback(null, user, context);
        }
        """;

    private const string LodashRule =
        """
        function (user, context, callback) {
          const _ = require('lodash');
          if (_.intersection(_.get(user, 'app_metadata.roles', []), ['admin', 'support']).length > 0) {
            context.multifactor = { provider: 'any', allowRememberBrowser: false };
          }
          callback(null, user, context);
        }
        """;

    /// <summary>A date rule on moment: its engine's global locale is compared after every login (it cannot be frozen).</summary>
    private const string MomentRule =
        """
        function (user, context, callback) {
          const moment = require('moment');
          const since = moment('2020-01-01T00:00:00Z');
          if (moment().isAfter(since) && moment().diff(since, 'days') > 30 && moment().format('YYYY-MM-DD dddd').length > 0) {
            context.multifactor = { provider: 'any', allowRememberBrowser: false };
          }
          callback(null, user, context);
        }
        """;

    private const string NoModuleRule =
        """
        function (user, context, callback) {
          const roles = (user.app_metadata || {}).roles || [];
          if (roles.filter((role) => ['admin', 'support'].indexOf(role) !== -1).length > 0) {
            context.multifactor = { provider: 'any', allowRememberBrowser: false };
          }
          callback(null, user, context);
        }
        """;

    /// <summary>The lodash rule reaching require only through a computed name: the rule set is not seen to use modules, so every login loads lodash into a fresh engine.</summary>
    private const string LodashLoadedEveryLogin =
        """
        function (user, context, callback) {
          const _ = global['req' + 'uire']('lodash');
          if (_.intersection(_.get(user, 'app_metadata.roles', []), ['admin', 'support']).length > 0) {
            context.multifactor = { provider: 'any', allowRememberBrowser: false };
          }
          callback(null, user, context);
        }
        """;

    private RulePipeline lodashEveryLogin = null!;
    private RulePipeline ipaddr = null!;
    private RulePipeline lodash = null!;
    private RulePipeline moment = null!;
    private RulePipeline noModule = null!;
    private LoginContext login = null!;

    [GlobalSetup]
    public void Setup()
    {
        var clock = new FixedTimeProvider(TypicalLogin.Now);
        login = LoginContext.FromRulesView(TypicalLogin.Parse());
        ipaddr = Pipeline("ipaddr", IpaddrRule, clock);
        lodash = Pipeline("lodash", LodashRule, clock);
        moment = Pipeline("moment", MomentRule, clock);
        noModule = Pipeline("no-module", NoModuleRule, clock);
        lodashEveryLogin = Pipeline("lodash-every-login", LodashLoadedEveryLogin, clock);
        if (RuleRequiringIpaddr().Outcome != DecisionOutcome.Mfa || RuleRequiringLodash().Outcome != DecisionOutcome.Mfa || RuleWithoutModule().Outcome != DecisionOutcome.Mfa
            || RuleRequiringMoment().Outcome != DecisionOutcome.Mfa
            || RuleLoadingLodashEveryLogin().Outcome != DecisionOutcome.Mfa)
        {
            throw new InvalidOperationException("Every module benchmark should decide MFA for the benchmark login.");
        }
    }

    [Benchmark(Baseline = true)]
    public MfaDecision RuleWithoutModule() => noModule.Evaluate(login);

    [Benchmark]
    public MfaDecision RuleRequiringIpaddr() => ipaddr.Evaluate(login);

    [Benchmark]
    public MfaDecision RuleRequiringLodash() => lodash.Evaluate(login);

    [Benchmark]
    public MfaDecision RuleRequiringMoment() => moment.Evaluate(login);

    [Benchmark]
    public MfaDecision RuleLoadingLodashEveryLogin() => lodashEveryLogin.Evaluate(login);

    // Loading lodash into a fresh engine takes longer than the default 250 ms rule limit on a busy machine.
    private static RulePipeline Pipeline(string id, string source, TimeProvider clock) =>
        new([RuleCompiler.Shared.Compile(RuleSource.Inline(id, source))], new RulePipelineSettings { Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) } }, clock);
}
