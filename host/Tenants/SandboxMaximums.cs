using System.Reflection;
using System.Text.Json;
using RulesMfa.Engine.Sandbox;
using RulesMfa.Host.Admin;

namespace RulesMfa.Host.Tenants;

/// <summary>
/// The operator's ceilings on a tenant's sandbox limits (<c>Sandbox:Maximums</c>): a setting above one is refused when
/// saved, and a stored setting above one (the operator lowered it later) runs at the ceiling.
/// </summary>
public sealed class SandboxMaximums(SandboxLimits maximums)
{
    // Every limit is a number, a duration or a switch: each compares, and "more" is always the riskier side.
    private static readonly PropertyInfo[] Limits = typeof(SandboxLimits).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(property => property is { CanRead: true, CanWrite: true }).ToArray();

    /// <summary>
    /// The default ceilings: 5 s per rule, 10 s per login, 10,000,000 statements, 128 MiB, call depth 1,000, 1 s per regular
    /// expression, arrays of 1,048,576, strings of 8,388,608 characters, 1 MiB per output, 100,000 promise reactions,
    /// 1 MiB of binary data, string compilation allowed, 1,000 console lines of 10,000 characters.
    /// </summary>
    public static SandboxLimits Defaults() => new()
    {
        RuleTimeout = TimeSpan.FromSeconds(5),
        PipelineTimeout = TimeSpan.FromSeconds(10),
        MaxStatements = 10_000_000,
        MaxMemoryBytes = 128L << 20,
        MaxRecursionDepth = 1_000,
        RegexTimeout = TimeSpan.FromSeconds(1),
        MaxArraySize = 1 << 20,
        MaxStringLength = 8 << 20,
        MaxOutputBytes = 1 << 20,
        MaxPromiseReactions = 100_000,
        MaxBinaryBytes = 1 << 20,
        AllowStringCompilation = true,
        MaxLogEntries = 1_000,
        MaxLogMessageLength = 10_000,
    };

    /// <summary>The operator's ceilings themselves.</summary>
    public SandboxLimits Ceilings => maximums;

    /// <summary>The first limit above its ceiling, as a field error naming the ceiling; null when every limit is within.</summary>
    public FieldError? Problem(SandboxLimits limits)
    {
        foreach (var limit in Limits)
        {
            var ceiling = limit.GetValue(maximums)!;
            if (Exceeds(limit.GetValue(limits)!, ceiling))
            {
                var field = $"limits.{JsonNamingPolicy.CamelCase.ConvertName(limit.Name)}";
                return new FieldError(field, ceiling is false
                    ? "this server does not allow it (its maximum is false)"
                    : $"must be at most {ceiling}, this server's maximum");
            }
        }

        return null;
    }

    /// <summary>A tenant's stored settings as they run: its limits within the ceilings.</summary>
    public TenantSettings Effective(string settingsJson)
    {
        var settings = TenantSettings.Parse(settingsJson);
        settings.Limits = Clamp(settings.Limits);
        return settings;
    }

    /// <summary>The limits that run: each the lesser of the tenant's and the ceiling.</summary>
    public SandboxLimits Clamp(SandboxLimits limits)
    {
        var clamped = new SandboxLimits();
        foreach (var limit in Limits)
        {
            var (value, ceiling) = (limit.GetValue(limits)!, limit.GetValue(maximums)!);
            limit.SetValue(clamped, Exceeds(value, ceiling) ? ceiling : value);
        }

        return clamped;
    }

    private static bool Exceeds(object value, object ceiling) => value is IComparable comparable && comparable.CompareTo(ceiling) > 0;
}
