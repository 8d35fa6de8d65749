using System.Diagnostics;
using System.Text.Json.Nodes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Benchmarks;

/// <summary>
/// The work of <see cref="LoadBenchmarks"/>: three normal tenants and one hostile tenant, each a
/// <see cref="RulePipeline"/> of its own with its own configuration; a fixed set of logins for each; batches
/// of those logins run across all cores; and the check of every decision.
/// </summary>
/// <remarks>
/// <para>A normal tenant runs <see cref="TenRulePolicy"/> plus one small marker Rule that puts the tenant's
/// <c>configuration.TENANT</c> and the login's <c>user_id</c> into an ID token claim. Every normal login has a
/// <c>user_id</c> of its own, so a decision that carries another tenant's configuration or another login's
/// user is caught (cross-talk), besides any change of outcome, MFA request, roles, step-up or metadata.</para>
/// <para>The hostile tenant has five Rules, one per attack; each attacks only when the login's
/// <c>context.request.query.attack</c> names it, so one tenant mixes all five and its hostile logins take
/// turns. Every hostile login must end in deny by a fault (time or a limit) of its attack's Rule.</para>
/// </remarks>
public sealed class LoadWorkload
{
    /// <summary>Normal logins per batch (spread round-robin over the normal tenants).</summary>
    public const int NormalLogins = 400;

    /// <summary>In the mixed batch, one hostile login after every this many normal ones.</summary>
    public const int NormalPerHostile = 10;

    /// <summary>Hostile logins in the mixed batch.</summary>
    public const int HostileLogins = NormalLogins / NormalPerHostile;

    public static readonly string[] NormalTenantNames = ["tenant-a", "tenant-b", "tenant-c"];

    /// <summary>The attacks of the hostile tenant, by the value of <c>context.request.query.attack</c> that triggers each.</summary>
    public static readonly (string Attack, string RuleId, string Source)[] Attacks =
    [
        ("loop", "h10-infinite-loop", """
            function infiniteLoop(user, context, callback) {
              if (context.request.query.attack !== 'loop') return callback(null, user, context);
              while (true) {}
            }
            """),
        ("doubling", "h20-string-doubling", """
            function stringDoubling(user, context, callback) {
              if (context.request.query.attack !== 'doubling') return callback(null, user, context);
              let s = 'x';
              while (true) { s = s + s + 'y'; }
            }
            """),
        ("recursion", "h30-deep-recursion", """
            function deepRecursion(user, context, callback) {
              if (context.request.query.attack !== 'recursion') return callback(null, user, context);
              function down(n) { return down(n + 1) + 1; }
              down(0);
              callback(null, user, context);
            }
            """),
        ("regex", "h40-catastrophic-regex", """
            function catastrophicRegex(user, context, callback) {
              if (context.request.query.attack !== 'regex') return callback(null, user, context);
              const evil = /^(a+)+$/.test('a'.repeat(40) + '!');
              callback(null, user, context);
            }
            """),
        ("microtasks", "h50-microtask-flood", """
            function microtaskFlood(user, context, callback) {
              if (context.request.query.attack !== 'microtasks') return callback(null, user, context);
              function flood() { Promise.resolve().then(flood); Promise.resolve().then(flood); }
              flood();
            }
            """),
    ];

    /// <summary>
    /// The hostile tenant's limits: smaller than the defaults so that a hostile login costs tens of
    /// milliseconds, not the default 250 ms per rule (and 100 ms per regex); otherwise the defaults
    /// (32 MiB per rule call, recursion depth 256, ...). The normal tenants keep every default.
    /// </summary>
    public static SandboxLimits HostileLimits() => new()
    {
        RuleTimeout = TimeSpan.FromMilliseconds(20),
        PipelineTimeout = TimeSpan.FromMilliseconds(100),
        MaxStatements = 200_000,
        RegexTimeout = TimeSpan.FromMilliseconds(20),
    };

    private const string TenantClaim = TenRulePolicy.ClaimNamespace + "tenant_login";

    /// <summary>The marker Rule each normal tenant runs after the ten-rule policy's Rules.</summary>
    private const string MarkerRule = """
        function tenantMarker(user, context, callback) {
          context.idToken['https://rulesmfa.example/tenant_login'] = configuration.TENANT + ' ' + user.user_id;
          callback(null, user, context);
        }
        """;

    private static readonly string[] ExpectedRoles = ["employee", "payroll-approver", "admin"];

    private readonly RulePipeline[] tenants;
    private readonly RulePipeline hostileTenant;
    private readonly NormalLogin[] normal;
    private readonly HostileLogin[] hostile;

    // Latency of each normal login's Evaluate, in 10 µs buckets up to 100 ms (the last bucket holds the rest).
    private const int BucketMicroseconds = 10;
    private readonly long[] normalLatency = new long[10_001];
    private long mismatches;
    private string? firstMismatch;

    // Inside batches only (BenchmarkDotNet's own collections between iterations are not counted).
    private long batches;
    private TimeSpan batchTime;
    private TimeSpan batchGcPause;
    private TimeSpan batchCpu;
    private readonly long[] batchCollections = new long[3];

    public LoadWorkload()
    {
        var clock = new FixedTimeProvider(TypicalLogin.Now);
        var policy = TenRulePolicy.CompileAll().Append(RuleCompiler.Shared.Compile(RuleSource.Inline("085-tenant-marker", MarkerRule))).ToList();
        tenants = NormalTenantNames
            .Select(name => new RulePipeline(policy, new RulePipelineSettings
            {
                Configuration = new Dictionary<string, string>(TenRulePolicy.Configuration) { ["TENANT"] = name },
            }, clock))
            .ToArray();

        hostileTenant = new RulePipeline(
            Attacks.Select(attack => RuleCompiler.Shared.Compile(RuleSource.Inline(attack.RuleId, attack.Source))),
            new RulePipelineSettings
            {
                Configuration = new Dictionary<string, string>(TenRulePolicy.Configuration) { ["TENANT"] = "tenant-hostile" },
                Limits = HostileLimits(),
            },
            clock);

        normal = Enumerable.Range(0, NormalLogins).Select(index =>
        {
            var tenant = index % tenants.Length;
            var userId = $"auth0|{NormalTenantNames[tenant]}-user-{index:D4}";
            var root = TypicalLogin.Parse();
            root["user"]!["user_id"] = userId;
            return new NormalLogin(tenant, LoginContext.FromRulesView(root), $"{NormalTenantNames[tenant]} {userId}");
        }).ToArray();

        hostile = Enumerable.Range(0, HostileLogins).Select(index =>
        {
            var attack = index % Attacks.Length;
            var root = TypicalLogin.Parse();
            root["user"]!["user_id"] = $"auth0|hostile-user-{index:D4}";
            root["context"]!["request"]!["query"]!["attack"] = Attacks[attack].Attack;
            return new HostileLogin(attack, LoginContext.FromRulesView(root));
        }).ToArray();

        // Batches: an entry >= 0 is a normal login, ~entry a hostile one.
        NormalOnlyBatch = Enumerable.Range(0, NormalLogins).ToArray();
        HostileOnlyBatch = Enumerable.Range(0, HostileLogins).Select(index => ~index).ToArray();
        MixedBatch = Enumerable.Range(0, NormalLogins)
            .SelectMany(index => (index + 1) % NormalPerHostile == 0 ? new[] { index, ~(index / NormalPerHostile) } : [index])
            .ToArray();
    }

    /// <summary>The 400 normal logins, round-robin over the three normal tenants.</summary>
    public int[] NormalOnlyBatch { get; }

    /// <summary>The 400 normal logins with one hostile login after every tenth (440 logins).</summary>
    public int[] MixedBatch { get; }

    /// <summary>The 40 hostile logins of the mixed batch, alone.</summary>
    public int[] HostileOnlyBatch { get; }

    public long Mismatches => Interlocked.Read(ref mismatches);

    /// <summary>
    /// Runs a batch across all cores and checks every decision; throws if any was wrong, so a wrong decision
    /// fails the benchmark run. Returns the number of logins run.
    /// </summary>
    public int Run(int[] batch)
    {
        var pauseBefore = GC.GetTotalPauseDuration();
        var collectionsBefore = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
        var cpuBefore = ProcessCpu();
        var batchStarted = Stopwatch.GetTimestamp();
        Parallel.For(0, batch.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, position =>
        {
            var entry = batch[position];
            string? problem;
            if (entry >= 0)
            {
                var login = normal[entry];
                var started = Stopwatch.GetTimestamp();
                var decision = tenants[login.Tenant].Evaluate(login.Context);
                var microseconds = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                Interlocked.Increment(ref normalLatency[Math.Min(microseconds / BucketMicroseconds, normalLatency.Length - 1)]);
                problem = CheckNormal(decision, login.ExpectedMarker);
            }
            else
            {
                var login = hostile[~entry];
                problem = CheckHostile(hostileTenant.Evaluate(login.Context), login.Attack);
            }

            if (problem is not null)
            {
                Interlocked.Increment(ref mismatches);
                Interlocked.CompareExchange(ref firstMismatch, problem, null);
            }
        });

        batchTime += Stopwatch.GetElapsedTime(batchStarted);
        batchCpu += ProcessCpu() - cpuBefore;
        batchGcPause += GC.GetTotalPauseDuration() - pauseBefore;
        for (var generation = 0; generation < 3; generation++)
        {
            batchCollections[generation] += GC.CollectionCount(generation) - collectionsBefore[generation];
        }

        batches++;
        if (Mismatches > 0)
        {
            throw new InvalidOperationException($"{Mismatches} wrong decision(s) under load; the first: {firstMismatch}");
        }

        return batch.Length;
    }

    /// <summary>Runs every login once on one thread and checks it; returns how each hostile attack ended.</summary>
    public IReadOnlyList<string> VerifySequentially()
    {
        foreach (var login in normal)
        {
            if (CheckNormal(tenants[login.Tenant].Evaluate(login.Context), login.ExpectedMarker) is { } problem)
            {
                throw new InvalidOperationException("Normal login decided wrongly on one thread: " + problem);
            }
        }

        var endings = new List<string>();
        foreach (var group in hostile.GroupBy(login => login.Attack))
        {
            var ms = new List<double>();
            string? ending = null;
            foreach (var login in group)
            {
                var started = Stopwatch.GetTimestamp();
                var decision = hostileTenant.Evaluate(login.Context);
                ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (CheckHostile(decision, login.Attack) is { } problem)
                {
                    throw new InvalidOperationException("Hostile login not contained on one thread: " + problem);
                }

                var rule = decision.Rules[login.Attack];
                ending = $"{rule.Status}{(rule.Limit is { } limit ? "/" + limit : "")}: {decision.Error!.Description}";
            }

            ms.Sort();
            endings.Add($"{Attacks[group.Key].Attack,-10} x{ms.Count}: median {ms[ms.Count / 2]:F1} ms; {ending}");
        }

        Array.Clear(normalLatency);
        return endings;
    }

    /// <summary>Batches run, their total wall time and process CPU time, the GC pauses within them and their collections by generation.</summary>
    public (long Batches, TimeSpan Time, TimeSpan Cpu, TimeSpan GcPause, long[] Collections) BatchStats() => (batches, batchTime, batchCpu, batchGcPause, batchCollections);

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Median and 99th percentile of a normal login's Evaluate, in µs (to the 10 µs bucket), over all batches run.</summary>
    public (long Count, double Median, double P99) NormalLatency()
    {
        var count = normalLatency.Sum();
        return (count, Percentile(0.50), Percentile(0.99));

        double Percentile(double fraction)
        {
            var target = (long)Math.Ceiling(count * fraction);
            long seen = 0;
            for (var bucket = 0; bucket < normalLatency.Length; bucket++)
            {
                seen += normalLatency[bucket];
                if (seen >= target && target > 0)
                {
                    return (bucket + 1) * BucketMicroseconds;
                }
            }

            return double.NaN;
        }
    }

    private static string? CheckNormal(MfaDecision decision, string expectedMarker)
    {
        if (decision.Outcome != DecisionOutcome.Mfa || decision.Error is not null)
        {
            return $"normal login {expectedMarker}: {decision.Outcome} ({decision.Error?.Description})";
        }

        if (decision.Rules.Count != 11 || decision.Rules.Any(rule => rule.Status != RuleStatus.Ok))
        {
            return $"normal login {expectedMarker}: a rule did not end Ok";
        }

        if (decision.Multifactor?["provider"]?.GetValue<string>() != "any" || decision.AllowRememberBrowser != false)
        {
            return $"normal login {expectedMarker}: MFA request {decision.Multifactor?.ToJsonString()}";
        }

        var marker = decision.IdTokenClaims[TenantClaim] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (marker != expectedMarker)
        {
            return $"cross-talk: normal login {expectedMarker} got marker '{marker}'";
        }

        var roles = decision.IdTokenClaims[TenRulePolicy.ClaimNamespace + "roles"] as JsonArray;
        if (roles is null || !roles.Select(role => role?.GetValue<string>()).SequenceEqual(ExpectedRoles)
            || decision.IdTokenClaims[TenRulePolicy.ClaimNamespace + "step_up"] is not JsonValue stepUp || !stepUp.GetValue<bool>()
            || decision.AppMetadata["pending_country"]?.GetValue<string>() != "BR"
            || decision.IdTokenClaims.Count != 3)
        {
            return $"normal login {expectedMarker}: claims or metadata {decision.IdTokenClaims.ToJsonString()} {decision.AppMetadata.ToJsonString()}";
        }

        return null;
    }

    /// <summary>
    /// Contained: denied by a fault, at the attack's rule or earlier, with every later rule skipped. With the hostile
    /// tenant's 20 ms rule limit, a garbage-collection pause caused by the attacks on the other core can time out one
    /// of the short rules before the attack's own (the deadline is checked before every statement): still a deny.
    /// </summary>
    private static string? CheckHostile(MfaDecision decision, int attack)
    {
        var faulted = decision.Rules.Count == Attacks.Length
            ? decision.Rules.Select((rule, index) => (rule, index)).FirstOrDefault(entry => entry.rule.Status != RuleStatus.Ok)
            : default;
        if (decision.Outcome != DecisionOutcome.Deny || decision.Error?.Code != DecisionError.AccessDenied
            || faulted.rule is null || faulted.index > attack || faulted.rule.Status is not (RuleStatus.Timeout or RuleStatus.Limit)
            || decision.Rules.Skip(faulted.index + 1).Any(after => after.Status != RuleStatus.Skipped))
        {
            return $"hostile login ({Attacks[attack].Attack}) not contained: {decision.Outcome}, " +
                   $"{string.Join(", ", decision.Rules.Select(r => $"{r.Id}={r.Status}"))}, {decision.Error?.Description}";
        }

        return null;
    }

    private sealed record NormalLogin(int Tenant, LoginContext Context, string ExpectedMarker);

    private sealed record HostileLogin(int Attack, LoginContext Context);
}
