using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Pooling;

/// <summary>
/// Issue 17: a pooled engine is retired once its logins have allocated 64 MiB, and its successor is prepared on the
/// thread pool when it reaches half of that, so no login waits for a preparation (which made the ten-rule policy's
/// pooled benchmark row slower than its fresh one).
/// </summary>
public sealed class EngineSuccessorTests
{
    private const string Claim = "https://example.com/chunks";

    [Test]
    public void EngineNearRetirement_GetsItsSuccessorPreparedAhead_SoNoLoginPreparesOne()
    {
        // Eight strings of 128 KB per login: 150 logins allocate well over the 64 MiB that retires an engine.
        var pipeline = Some.Pipeline(new RulePipelineSettings(), """
            function (user, context, callback) {
              const chunks = [];
              for (let i = 0; i < 8; i++) chunks.push('x'.repeat(1 << 16) + i);
              context.idToken['https://example.com/chunks'] = chunks.length;
              callback(null, user, context);
            }
            """);
        var pool = pipeline.Engines!;

        var decisions = new List<MfaDecision>();
        for (var login = 0; login < 150; login++)
        {
            decisions.Add(pipeline.Evaluate(Some.Login()));
            // The successor is prepared beside the logins; waiting for it keeps the test the same on a loaded machine.
            pool.Successor.Wait();
        }

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Select(decision => decision.IdTokenClaims[Claim]?.GetValue<int>()), Is.All.EqualTo(8));
            Assert.That(pool.Prepared, Is.GreaterThanOrEqualTo(2), "the logins retired the first engine");
            Assert.That(pool.PreparedAhead, Is.EqualTo(pool.Prepared), "every engine was prepared before a login needed it");
        });
    }
}
