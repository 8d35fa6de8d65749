using RulesMfa.Engine.Policy;

namespace RulesMfa.Tests.Policy;

public sealed class AcrValuesTests
{
    [TestCase("http://schemas.openid.net/pape/policies/2007/06/multi-factor")]
    [TestCase("urn:mace:incommon:iap:silver  http://schemas.openid.net/pape/policies/2007/06/multi-factor")]
    public void RequestsMultiFactor_ValuesWithMultiFactorPolicy_IsTrue(string acrValues)
    {
        var requested = AcrValues.RequestsMultiFactor(acrValues);

        Assert.That(requested, Is.True);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("urn:mace:incommon:iap:silver")]
    [TestCase("http://schemas.openid.net/pape/policies/2007/06/multi-factor-physical")]
    [TestCase("HTTP://SCHEMAS.OPENID.NET/PAPE/POLICIES/2007/06/MULTI-FACTOR")]
    public void RequestsMultiFactor_ValuesWithoutMultiFactorPolicy_IsFalse(string? acrValues)
    {
        var requested = AcrValues.RequestsMultiFactor(acrValues);

        Assert.That(requested, Is.False);
    }
}
