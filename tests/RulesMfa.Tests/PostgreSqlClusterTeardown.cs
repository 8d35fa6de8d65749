using RulesMfa.Tests.Support;

namespace RulesMfa.Tests;

/// <summary>In the tests' root namespace, so it wraps them all: stops the test run's PostgreSQL cluster, when a test started one, after every test of the assembly.</summary>
[SetUpFixture]
public sealed class PostgreSqlClusterTeardown
{
    [OneTimeTearDown]
    public void StopCluster() => PostgreSqlCluster.StopIfStarted();
}
