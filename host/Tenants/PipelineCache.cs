using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using RulesMfa.Engine.Compilation;

namespace RulesMfa.Host.Tenants;

/// <summary>
/// Each tenant's login pipeline, built once per rule set, configuration and settings and reused by its logins (a
/// pipeline is safe to share: every login still gets its own sandbox). Any change to what it was built from changes
/// its fingerprint, and the next login builds a new one.
/// </summary>
public sealed class PipelineCache
{
    private readonly ConcurrentDictionary<string, (string Fingerprint, TenantPipeline Pipeline)> byTenant = new(StringComparer.Ordinal);

    public TenantPipeline GetOrBuild(string tenantId, string fingerprint, Func<TenantPipeline> build)
    {
        if (TryGet(tenantId, fingerprint, out var cached))
        {
            return cached;
        }

        var pipeline = build();
        byTenant[tenantId] = (fingerprint, pipeline);
        return pipeline;
    }

    /// <summary>The tenant's pipeline when it was built from what <paramref name="fingerprint"/> says.</summary>
    public bool TryGet(string tenantId, string fingerprint, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TenantPipeline? pipeline)
    {
        pipeline = byTenant.TryGetValue(tenantId, out var cached) && cached.Fingerprint == fingerprint ? cached.Pipeline : null;
        return pipeline is not null;
    }

    /// <summary>
    /// A hash of everything a pipeline is built from: the rules' ids and version hashes (of their texts), the configuration
    /// as stored (encrypted: every change writes a new ciphertext, so a login need not decrypt it to see the change) and
    /// the settings.
    /// </summary>
    public static string Fingerprint(IReadOnlyList<RuleSource> sources, string storedConfiguration, string settingsJson) =>
        Fingerprint(sources.Select(source => (source.Id, RuleCompiler.VersionHashOf(source.Text))), storedConfiguration, settingsJson);

    /// <summary>The same fingerprint from the rules' stored version hashes, so a login need not read their sources to find its pipeline.</summary>
    public static string Fingerprint(IEnumerable<(string Id, string VersionHash)> rules, string storedConfiguration, string settingsJson)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(BitConverter.GetBytes(text.Length));
            hash.AppendData(Encoding.UTF8.GetBytes(text));
        }

        foreach (var (id, versionHash) in rules)
        {
            Add(id);
            Add(versionHash);
        }

        Add(storedConfiguration);
        Add(settingsJson);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
