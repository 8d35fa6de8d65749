using System.ComponentModel.DataAnnotations;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// Per-tenant limits of the rule sandbox. Every default is safe for untrusted rules; ranges exclude the
/// values Jint reads as "unlimited".
/// </summary>
public sealed class SandboxLimits
{
    internal const int DefaultMaxRegexLength = 10_000;

    /// <summary>Wall-clock time one rule may run. Default 250 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:30")]
    public TimeSpan RuleTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Wall-clock time all rules of one login may run together. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan PipelineTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Statements one rule may execute per entry into the engine (its call, then its queued tasks). Default 100,000: a
    /// hundred times what any sample rule runs, and about 20 ms of a busy loop here, so a loop is always stopped by this
    /// count and never, on a loaded machine, by the 250 ms clock instead (1,000,000 took 180–250 ms, and the same rule
    /// was denied for either reason by chance).
    /// </summary>
    [Range(1_000, 100_000_000)]
    public int MaxStatements { get; set; } = 100_000;

    /// <summary>Bytes one rule may allocate per entry into the engine. Default 32 MiB.</summary>
    [Range(1L << 20, 1L << 30)]
    public long MaxMemoryBytes { get; set; } = 32L << 20;

    /// <summary>Nested calls one rule may make. Default 256.</summary>
    [Range(16, 10_000)]
    public int MaxRecursionDepth { get; set; } = 256;

    /// <summary>Time one regular-expression match may take. Default 100 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:05")]
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Longest regular-expression source a rule may build at run time (<c>new RegExp</c>, <c>match</c>, <c>search</c>...),
    /// checked before the pattern is parsed; literals are checked against the default when the rule is compiled. Default 10,000 characters.
    /// </summary>
    [Range(256, 100_000)]
    public int MaxRegexLength { get; set; } = DefaultMaxRegexLength;

    /// <summary>Largest array capacity (Jint checks the backing store, which grows in powers of two). Default 65,536.</summary>
    [Range(1_024, 1 << 24)]
    public uint MaxArraySize { get; set; } = 1 << 16;

    /// <summary>Longest string <c>repeat</c>, <c>padStart</c>, <c>padEnd</c>, <c>join</c> and <c>replaceAll</c> may build. Default 1,048,576 characters.</summary>
    [Range(1_024, 64 << 20)]
    public int MaxStringLength { get; set; } = 1 << 20;

    /// <summary>Largest JSON size of each output: ID token claims, access token claims, app and user metadata patches. Default 64 KiB.</summary>
    [Range(1_024, 4 << 20)]
    public int MaxOutputBytes { get; set; } = 64 << 10;

    /// <summary>Promise reactions (<c>then</c>, <c>await</c>) one rule may register. Default 10,000.</summary>
    [Range(100, 10_000_000)]
    public int MaxPromiseReactions { get; set; } = 10_000;

    /// <summary>Largest binary data (<c>Buffer</c>, <c>Uint8Array</c>, <c>crypto.randomBytes</c>) one call may build. Default 65,536 bytes.</summary>
    [Range(1_024, 16 << 20)]
    public int MaxBinaryBytes { get; set; } = 64 << 10;

    /// <summary>Whether <c>eval</c> and <c>new Function(string)</c> work. Default false.</summary>
    public bool AllowStringCompilation { get; set; }

    /// <summary>Console lines and engine notices kept per login. Default 100.</summary>
    [Range(1, 10_000)]
    public int MaxLogEntries { get; set; } = 100;

    /// <summary>Characters kept of one console line. Default 2,000.</summary>
    [Range(16, 100_000)]
    public int MaxLogMessageLength { get; set; } = 2_000;

    /// <summary>
    /// How much JSON one output value may be written to before the exact byte check: an over-estimate of the
    /// characters is counted while writing, so twice the output limit stops a huge value early without refusing
    /// one that fits.
    /// </summary>
    internal long OutputJsonBudget => 2L * MaxOutputBytes;

    /// <summary>Throws <see cref="ValidationException"/> naming the first field out of range.</summary>
    public void Validate() => Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
}
