namespace RulesMfa.Engine.Compilation;

/// <summary>
/// Parsed scripts by owner (a tenant), form and version hash, bounded in bytes twice: in all, and per owner. An owner
/// over its share loses its own least recently used scripts, never another owner's; past the total, the least recently
/// used of anyone's go. A script larger than an owner's share is not kept. Thread-safe.
/// </summary>
internal sealed class ScriptCache(long maxBytes, long maxBytesPerOwner)
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Owner, RuleKind Kind, string VersionHash), LinkedListNode<Entry>> entries = new();
    private readonly LinkedList<Entry> leastRecentlyUsedFirst = new();
    private readonly Dictionary<string, long> bytesByOwner = new(StringComparer.Ordinal);
    private long bytes;

    /// <summary>The bytes held, in all.</summary>
    public long Bytes
    {
        get
        {
            lock (gate)
            {
                return bytes;
            }
        }
    }

    /// <summary>The bytes held for one owner.</summary>
    public long BytesOf(string owner)
    {
        lock (gate)
        {
            return bytesByOwner.GetValueOrDefault(owner);
        }
    }

    public CachedScript? Find(string owner, RuleKind kind, string versionHash)
    {
        lock (gate)
        {
            if (!entries.TryGetValue((owner, kind, versionHash), out var node))
            {
                return null;
            }

            leastRecentlyUsedFirst.Remove(node);
            leastRecentlyUsedFirst.AddLast(node);
            return node.Value.Script;
        }
    }

    /// <param name="size">What the script costs: an upper bound of the memory it keeps.</param>
    public void Add(string owner, RuleKind kind, string versionHash, CachedScript script, long size)
    {
        if (size > maxBytesPerOwner || size > maxBytes)
        {
            return;
        }

        lock (gate)
        {
            var key = (owner, kind, versionHash);
            if (entries.ContainsKey(key))
            {
                return;
            }

            entries[key] = leastRecentlyUsedFirst.AddLast(new Entry(key, script, size));
            bytes += size;
            bytesByOwner[owner] = bytesByOwner.GetValueOrDefault(owner) + size;
            EvictWhile(entry => entry.Key.Owner == owner, () => bytesByOwner[owner] > maxBytesPerOwner);
            EvictWhile(_ => true, () => bytes > maxBytes);
        }
    }

    private void EvictWhile(Func<Entry, bool> evictable, Func<bool> overBudget)
    {
        var node = leastRecentlyUsedFirst.First;
        while (node is not null && overBudget())
        {
            var next = node.Next;
            if (evictable(node.Value))
            {
                Remove(node);
            }

            node = next;
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        var (key, _, size) = node.Value;
        leastRecentlyUsedFirst.Remove(node);
        entries.Remove(key);
        bytes -= size;
        var left = bytesByOwner[key.Owner] - size;
        if (left == 0)
        {
            bytesByOwner.Remove(key.Owner);
        }
        else
        {
            bytesByOwner[key.Owner] = left;
        }
    }

    private sealed record Entry((string Owner, RuleKind Kind, string VersionHash) Key, CachedScript Script, long Size);
}
