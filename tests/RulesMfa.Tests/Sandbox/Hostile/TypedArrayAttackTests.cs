using RulesMfa.Engine.Decisions;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// Rules that try to allocate or loop through typed arrays. The intrinsic constructors are not globals, but the
/// capped ones Node's <c>Buffer</c> is built on are reachable through values: the <c>ArrayBuffer</c> behind every
/// buffer, the <c>Uint8Array</c> <c>Buffer</c> extends, and the one modules get (a <c>uuid</c> is parsed into it).
/// Every size is refused before anything is allocated, with the cap's RangeError.
/// </summary>
[Category("Hostile")]
public sealed class TypedArrayAttackTests
{
    private const long Megabyte = 1 << 20;

    private const string ArrayBufferBehindBuffer = "Buffer.from('a').buffer.constructor";

    private const string Uint8ArrayBehindBuffer = "Object.getPrototypeOf(Buffer.prototype).constructor";

    private const string Uint8ArrayOfModules = "require('uuid').parse('6ba7b810-9dad-11d1-80b4-00c04fd430c8').constructor";

    [TestCase(ArrayBufferBehindBuffer)]
    [TestCase(Uint8ArrayBehindBuffer)]
    [TestCase(Uint8ArrayOfModules)]
    [TestCase("require('buffer').Buffer")]
    public void GigabyteFromAReachableConstructor_IsRefusedBeforeItIsAllocated(string constructor)
    {
        var attack = HostileAttack.Rule($"const Binary = {constructor}; new Binary(1e9);");

        AssertRefused(attack, 1_000_000_000);
    }

    [Test]
    public void GigabyteBufferAlloc_IsRefusedBeforeItIsAllocated()
    {
        var attack = HostileAttack.Rule("Buffer.alloc(1e9, 1);");

        AssertRefused(attack, 1_000_000_000);
    }

    [Test]
    public void ResizableArrayBufferWithAGigabyteMaximum_IsRefusedBeforeItIsAllocated()
    {
        var attack = HostileAttack.Rule($"const ArrayBuffer = {ArrayBufferBehindBuffer}; new ArrayBuffer(1, {{ maxByteLength: 1e9 }}).resize(1e9);");

        AssertRefused(attack, 1_000_000_000);
    }

    /// <summary>The cap checked one read of the size and the intrinsic constructor made a second: a valueOf that answered 1, then a gigabyte.</summary>
    [Test]
    public void ArrayBufferLengthThatGrowsOnItsSecondRead_IsReadOnce()
    {
        var attack = HostileAttack.Rule(
            $$"""
            const ArrayBuffer = {{ArrayBufferBehindBuffer}};
            let reads = 0;
            const buffer = new ArrayBuffer({ valueOf() { return reads++ === 0 ? 1 : 1e9; } });
            context.idToken['https://example.com/seen'] = [buffer.byteLength, reads];
            """);

        AssertBuiltAsChecked(attack, "[1,1]");
    }

    /// <summary>The same with <c>maxByteLength</c>: a getter that answered 1 to the cap and a gigabyte to the constructor, then <c>resize</c>.</summary>
    [Test]
    public void MaxByteLengthThatGrowsOnItsSecondRead_IsReadOnce()
    {
        var attack = HostileAttack.Rule(
            $$"""
            const ArrayBuffer = {{ArrayBufferBehindBuffer}};
            let reads = 0;
            const buffer = new ArrayBuffer(1, { get maxByteLength() { return reads++ === 0 ? 1 : 1e9; } });
            let resized;
            try { buffer.resize(1e9); resized = 'resized'; } catch (e) { resized = e.name; }
            context.idToken['https://example.com/seen'] = [buffer.maxByteLength, reads, resized, buffer.byteLength];
            """);

        AssertBuiltAsChecked(attack, """[1,1,"RangeError",1]""");
    }

    /// <summary>A resizable buffer grows up to its maximum, which the cap bounds, and no further.</summary>
    [Test]
    public void ResizableArrayBuffer_GrowsUpToTheCapAndNoFurther()
    {
        var attack = HostileAttack.Rule(
            $$"""
            const buffer = new ({{ArrayBufferBehindBuffer}})(1, { maxByteLength: 65536 });
            buffer.resize(65536);
            let beyond;
            try { buffer.resize(65537); beyond = 'resized'; } catch (e) { beyond = e.name; }
            context.idToken['https://example.com/seen'] = [buffer.byteLength, beyond];
            """);

        AssertBuiltAsChecked(attack, """[65536,"RangeError"]""");
    }

    [Test]
    public void SortingAHugeTypedArray_IsRefusedWhenTheArrayIsMade()
    {
        // 4 million doubles sorted in one builtin call took 0.7 s past a 250 ms limit when typed arrays were globals;
        // only the capped Uint8Array is reachable now, and 4 million bytes are over its cap.
        var attack = HostileAttack.Rule($"new ({Uint8ArrayBehindBuffer})(4e6).sort();");

        AssertRefused(attack, 4_000_000);
    }

    [Test]
    public void TypedArrayFromAHugeArrayLike_IsRefusedBeforeItLoops()
    {
        // One builtin call that loops over the array-like's slots without a statement in between: with typed arrays
        // as globals, 1e8 slots ran about 18 s past the 250 ms limit. from() makes its array first, through the cap.
        var attack = HostileAttack.Rule($"({Uint8ArrayBehindBuffer}).from({{ length: 2e6 }});");

        AssertRefused(attack, 2_000_000);
    }

    private static void AssertRefused(HostileAttack attack, long bytes)
    {
        attack.AssertContained(Stop.Thrown($"binary data is limited to {attack.Limits.MaxBinaryBytes} bytes in rules, not {bytes}"));
        Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte), "refused before it was allocated");
        attack.AssertOthersUnharmed();
    }

    private static void AssertBuiltAsChecked(HostileAttack attack, string seen)
    {
        Assert.Multiple(() =>
        {
            Assert.That(attack.Trace.Status, Is.EqualTo(RuleStatus.Ok), () => $"{attack.Decision.Error?.Description}");
            Assert.That(attack.Decision.IdTokenClaims["https://example.com/seen"]?.ToJsonString(), Is.EqualTo(seen));
            Assert.That(attack.AllocatedBytes, Is.LessThan(64 * Megabyte), "nothing larger than the cap was allocated");
        });
        attack.AssertOthersUnharmed();
    }
}
