namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// Issue 17: after a login the global object is put back only when the login changed it; a login that left it as
/// prepared (most) skips the work, seen by comparing the global's own properties with a record of them
/// (<c>PooledEngine.Restore</c>). Each case changes the global in one way (a value assigned in place, a property added,
/// deleted or redefined), is put back on the same engine, then changes it again after that put-back, which the record
/// must see as well: both attacks take effect in their own login and both later logins see the global as prepared.
/// </summary>
[Category("Hostile")]
public sealed class GlobalRestoreLeakAttackTests
{
    [TestCase("globalThis.JSON = user.email;", "typeof JSON", "string", "object")]
    [TestCase("globalThis.console = user.email;", "typeof console", "string", "object")]
    [TestCase("globalThis.leak = user.email;", "typeof leak", "string", "undefined")]
    [TestCase("delete globalThis.Math;", "typeof Math", "undefined", "object")]
    [TestCase("Object.defineProperty(globalThis, 'parseInt', { enumerable: false, writable: false });",
        "Object.getOwnPropertyDescriptor(globalThis, 'parseInt').writable", "false", "true")]
    public void GlobalChangedTwice_IsPutBackBothTimesOnOneEngine(string attack, string probe, string attackerSees, string pristine)
    {
        foreach (var modules in new[] { false, true })
        {
            var tenant = modules ? PooledTenant.With(attack, probe) : PooledTenant.WithoutModules(attack, probe);

            var seen = new[] { tenant.AttackerLogin(), tenant.NextLogin(), tenant.AttackerLogin(), tenant.NextLogin() };

            Assert.Multiple(() =>
            {
                Assert.That(seen, Is.EqualTo(new[]
                {
                    $"done | {attackerSees}", $"not run | {pristine}", $"done | {attackerSees}", $"not run | {pristine}",
                }), modules ? "frozen engine" : "unfrozen engine");
                Assert.That(tenant.Prepared, Is.EqualTo(1), "the global was put back, so one engine served the four logins");
            });
        }
    }
}
