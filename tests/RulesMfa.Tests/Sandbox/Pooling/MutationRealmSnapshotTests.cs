using RulesMfa.Tests.Sandbox.Hostile;

namespace RulesMfa.Tests.Sandbox.Pooling;

/// <summary>
/// Issue 19 (mutation testing of <c>RealmSnapshot</c>): a builtin accessor redefined in place (its getter replaced,
/// the descriptor object and flags unchanged) is seen as a change, so the attacker's engine is discarded.
/// </summary>
public sealed class MutationRealmSnapshotTests
{
    [TestCase("Object.defineProperty(Map.prototype, 'size', { get: () => user.email });", "new Map().size", "mallory@example.com", "0")]
    [TestCase("Object.defineProperty(RegExp.prototype, 'flags', { get: () => user.email });", "/a/g.flags", "mallory@example.com", "g")]
    public void BuiltinGetterReplacedInPlace_TakesEffectThereAndIsPristineForTheNext(string attack, string probe, string attackerSees, string pristine)
    {
        PooledTenant.WithoutModules(attack, probe).AssertContained($"done | {attackerSees}", pristine, prepared: 2);
    }
}
