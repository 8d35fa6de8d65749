using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Identity;
using RulesMfa.Host.Storage;

namespace RulesMfa.Benchmarks;

/// <summary>
/// The password check a login pays, with the server's hasher and its defaults: what "password excluded" takes out of a
/// login's server CPU when the rules' share is read from the load generator (BENCHMARKS.md).
/// </summary>
public class PasswordHashBenchmarks
{
    private readonly PasswordHasher<UserRecord> hasher = new();
    private readonly UserRecord user = new() { Id = "u", TenantId = "t", Email = "ada@example.com", PasswordHash = "" };
    private string hash = "";

    [GlobalSetup]
    public void Setup()
    {
        hash = hasher.HashPassword(user, "load-demo-password");
        if (hasher.VerifyHashedPassword(user, hash, "load-demo-password") != PasswordVerificationResult.Success)
        {
            throw new InvalidOperationException("The hash should verify its own password.");
        }
    }

    [Benchmark]
    public PasswordVerificationResult VerifyPassword() => hasher.VerifyHashedPassword(user, hash, "load-demo-password");
}
