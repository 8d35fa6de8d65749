using RulesMfa.Engine.Decisions;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>Rules that try to exhaust memory, directly or through a builtin that allocates far more than its input.</summary>
[Category("Hostile")]
public sealed class MemoryAttackTests
{
    private const int Megabyte = 1 << 20;

    [Test]
    public void StringDoubling_IsStoppedByTheMemoryLimit()
    {
        var attack = HostileAttack.Rule("let s = 'x'; while (true) { s = s + s; s.charCodeAt(0); }");

        attack.AssertContained(Stop.Memory);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ArrayGrowthByPush_IsStoppedByTheArraySizeLimit()
    {
        var attack = HostileAttack.Rule("const a = []; while (true) { a.push(0, 0, 0, 0, 0, 0, 0, 0); }");

        attack.AssertContained(Stop.ArraySize, Stop.Memory);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ArrayOfMaximumLength_IsStoppedByTheArraySizeLimit()
    {
        var attack = HostileAttack.Rule("const a = new Array(2 ** 32 - 1); a.fill(0);");

        attack.AssertContained(Stop.ArraySize);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void JoinAmplification_IsStoppedAndDenied()
    {
        // A gigabyte string from 1 MB of input: without a cap, about 2 s and 2 GB before a RangeError.
        var attack = HostileAttack.Rule("const s = Array(1000).fill('x'.repeat(1e6)).join('');");

        attack.AssertContained(Stop.StringLength.Saying("join would build a string of 1,000,000,000 characters"));
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ReplaceAllAmplification_IsStoppedAndDenied()
    {
        var attack = HostileAttack.Rule("const s = 'x'.repeat(1e4).replaceAll('x', 'y'.repeat(1e4));");

        attack.AssertContained(Stop.StringLength.Saying("replaceAll would build a string of 100,000,000 characters"));
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void HugeJsonStringify_IsRefusedBeforeItIsWritten()
    {
        // A gigabyte of JSON from one 1 MB string: without the cap, about 2.5 s and 2 GB before a RangeError.
        var attack = HostileAttack.Rule("JSON.stringify(Array(1000).fill('x'.repeat(1e6)));");

        attack.AssertContained(Stop.StringLength);
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void JsonStringifyThroughGettersAndAMap_IsRefusedBeforeItIsWritten()
    {
        // The values only exist while serializing: each getter call hands out the same megabyte string again.
        var attack = HostileAttack.Rule(
            "const s = 'x'.repeat(1e6); const o = {}; for (let i = 0; i < 1000; i++) Object.defineProperty(o, 'k' + i, { get: () => s, enumerable: true });"
            + " JSON.stringify([...new Map([[1, o]])], null, 10);", limits => HostileAttack.GenerousTime(limits));

        attack.AssertContained(Stop.StringLength);
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void StringRawAmplification_IsRefusedBeforeItIsBuilt()
    {
        var attack = HostileAttack.Rule("const s = 'x'.repeat(1e6); String.raw({ raw: Array(1000).fill(s) });");

        attack.AssertContained(Stop.StringLength);
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void HugeConsoleLine_IsTruncated()
    {
        // A million characters fit every limit, so the rule completes; its log line must not carry them.
        var attack = HostileAttack.Rule("console.log('x'.repeat(1e6));");

        var lines = attack.Decision.Logs.Where(log => log.Rule == HostileAttack.Id).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(attack.Trace.Status, Is.EqualTo(RuleStatus.Ok));
            Assert.That(attack.Decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa), "the normal rules after it decided");
            Assert.That(lines, Has.Count.EqualTo(1));
            Assert.That(lines.Select(log => log.Message.Length), Is.All.EqualTo(attack.Limits.MaxLogMessageLength + 1), "truncated, plus an ellipsis");
        });
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ConsoleFlood_KeepsTheLogBoundedAndIsStopped()
    {
        var attack = HostileAttack.Rule("const line = 'x'.repeat(1e5); while (true) { console.log(line); }");

        attack.AssertContained(Stop.Memory, Stop.Statements, Stop.Timeout);
        var logs = attack.Decision.Logs;
        Assert.Multiple(() =>
        {
            // MaxLogEntries lines and the "log limit reached" notice, then the engine's verdict, which is always kept.
            Assert.That(logs, Has.Count.LessThanOrEqualTo(attack.Limits.MaxLogEntries + 2));
            Assert.That(logs.Select(log => log.Message.Length), Is.All.LessThanOrEqualTo(attack.Limits.MaxLogMessageLength + 1));
        });
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ConsoleLogOfAHugeObject_WritesOnlyTheLineLimit()
    {
        // console formats objects as JSON: a thousand references to one 1 MB string were a gigabyte line (and spread
        // into a thousand arguments, 6 GB) before console wrote only up to the line's limit.
        var attack = HostileAttack.Rule("const a = Array(1000).fill('x'.repeat(1e6)); console.log(a); console.log(...a);");

        Assert.Multiple(() =>
        {
            Assert.That(attack.Trace.Status, Is.EqualTo(RuleStatus.Ok), "writing a log line is not an error");
            Assert.That(attack.Decision.Logs.Select(log => log.Message.Length), Is.All.LessThanOrEqualTo(attack.Limits.MaxLogMessageLength + 1));
            Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        });
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void FiftyMegabyteClaim_IsStoppedAndNotInTheDecision()
    {
        var attack = HostileAttack.Rule($"context.idToken['https://example.com/blob'] = 'x'.repeat({50 * Megabyte});");

        attack.AssertContained(Stop.StringLength.Saying("repeat would build a string of 52,428,800 characters"));
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        AssertSmall(attack.Decision);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void FiftyMegabyteClaimFromOneMegabyte_IsStoppedAndNotInTheDecision()
    {
        // 1 MB allocated in the sandbox, under the memory limit; fifty references make a 50 MB claim value.
        var attack = HostileAttack.Rule($"const mb = 'x'.repeat({Megabyte}); context.idToken['https://example.com/blob'] = Array(50).fill(mb);");

        attack.AssertContained(Stop.OutputSize.Saying("made the ID token claims larger than 65,536 bytes"));
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        AssertSmall(attack.Decision);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void FiftyMegabyteClaimFromAnAction_IsStoppedAndNotInTheDecision()
    {
        var attack = HostileAttack.Action($"const mb = 'x'.repeat({Megabyte}); api.idToken.setCustomClaim('https://example.com/blob', Array(50).fill(mb));");

        attack.AssertContained(Stop.OutputSize.Saying("made the ID token claims larger than 65,536 bytes"));
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        AssertSmall(attack.Decision);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void FiftyMegabyteMultifactorRequest_IsStoppedAndNotInTheDecision()
    {
        // MaxOutputBytes covers the multifactor request too: the request stands, without its junk.
        var attack = HostileAttack.Rule($"const mb = 'x'.repeat({Megabyte}); context.multifactor = {{ provider: 'any', junk: Array(50).fill(mb) }};");

        attack.AssertContained(Stop.OutputSize.Saying("made the multifactor request larger than 65,536 bytes"));
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        AssertSmall(attack.Decision);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void HugeRedirectQueryFromAnAction_IsStoppedAndNotInTheDecision()
    {
        // MaxOutputBytes covers the redirect URL too.
        // Eight 1 MB query values of '%', each escaped to three characters: a 24 MB redirect URL (300 MB allocated).
        var attack = HostileAttack.Action(
            "const mb = '%'.repeat(1e6); api.redirect.sendUserTo('https://example.com/', { query: { a: mb, b: mb, c: mb, d: mb, e: mb, f: mb, g: mb, h: mb } });");

        attack.AssertContained(Stop.OutputSize.Saying("made the redirect URL larger than 65,536 bytes"));
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte), "refused before the values were escaped");
        AssertSmall(attack.Decision);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void RedirectQueryOfAHundredMegabyteValues_IsRefusedBeforeItIsEscaped()
    {
        // A hundred references to one 1 MB string: escaped and joined in full before the size check, 4 GB and 17 s.
        var attack = HostileAttack.Action(
            "const mb = '%'.repeat(1e6); const query = {}; for (let i = 0; i < 100; i++) { query['k' + i] = mb; } api.redirect.sendUserTo('https://example.com/', { query });");

        attack.AssertContained(Stop.OutputSize.Saying("made the redirect URL larger than 65,536 bytes"));
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte), "refused before the values were escaped");
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void FiftyMegabyteMetadataPatchBeforeAFault_IsNotInTheDecision()
    {
        // The patch is recorded when the call is made; the memory limit fires only after it. Patches made before a
        // deny are kept (Auth0's semantics), so the size of the patch itself is bounded whatever the rule's ending.
        var attack = HostileAttack.Rule($"const mb = 'x'.repeat({Megabyte}); auth0.users.updateAppMetadata(user.user_id, {{ junk: Array(50).fill(mb) }});");

        attack.AssertContained(Stop.OutputSize.Saying("made the app_metadata patch larger than 65,536 bytes"));
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        AssertSmall(attack.Decision);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ConcatAmplification_IsStoppedAndDenied()
    {
        var attack = HostileAttack.Rule("const mb = 'x'.repeat(1e6); mb.concat(...Array(100).fill(mb));");

        attack.AssertContained(Stop.StringLength.Saying("concat would build a string of 101,000,000 characters"));
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ToLocaleStringAmplification_IsStoppedAndDenied()
    {
        // Array.prototype.toLocaleString joins on its own, without Array.prototype.join.
        var attack = HostileAttack.Rule("Array(100).fill('x'.repeat(1e6)).toLocaleString();");

        attack.AssertContained(Stop.StringLength.Saying("toLocaleString would build a string of 100,000,099 characters"));
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void StringRawAmplification_IsStoppedAndDenied()
    {
        var attack = HostileAttack.Rule("const mb = 'x'.repeat(1e6); String.raw({ raw: Array(101).fill(mb) }, ...Array(100).fill(''));");

        attack.AssertContained(Stop.StringLength.Saying("raw would build a string of"));
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte));
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void AsyncStringDoublingAcrossAwaits_IsStoppedByTheMemoryLimit()
    {
        // Jint 4.18 stops counting memory after an await resumes on another thread; the sandbox drains the
        // continuations on the rule's own thread, so the limit must still hold. Time is not the protection here: generous
        // time limits, so that a loaded machine does not stop the attack by its clock first.
        var attack = HostileAttack.Rule("(async () => { let s = 'x'; while (true) { await null; s = s + s; s.charCodeAt(0); } })();", limits =>
        {
            limits.RuleTimeout = TimeSpan.FromSeconds(5);
            limits.PipelineTimeout = TimeSpan.FromSeconds(10);
        });

        attack.AssertContained(Stop.Memory);
        attack.AssertOthersUnharmed();
    }

    /// <summary>The whole decision, as the CLI and the decision log write it, stays far below the attack's size.</summary>
    private static void AssertSmall(MfaDecision decision) =>
        Assert.That(MfaDecisionJson.Serialize(decision), Has.Length.LessThan(Megabyte), "the decision does not carry the payload");
}
