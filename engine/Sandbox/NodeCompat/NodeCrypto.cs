using System.Security.Cryptography;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>
/// The subset of Node's <c>crypto</c> that rules use, on .NET's implementations: <c>createHash</c>,
/// <c>createHmac</c>, <c>randomBytes</c>, <c>randomFillSync</c>, <c>randomUUID</c>, <c>timingSafeEqual</c>.
/// </summary>
internal static class NodeCrypto
{
    private static readonly Dictionary<string, HashAlgorithmName> Algorithms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["md5"] = HashAlgorithmName.MD5,
        ["sha1"] = HashAlgorithmName.SHA1,
        ["sha256"] = HashAlgorithmName.SHA256,
        ["sha384"] = HashAlgorithmName.SHA384,
        ["sha512"] = HashAlgorithmName.SHA512,
    };

    // What Node 20 says the arguments must be (of those, rules get strings, Buffers and Uint8Arrays).
    private const string KeyTypes = "of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey";
    private const string DataTypes = "of type string or an instance of Buffer, TypedArray, or DataView";

    public static JsObject Create(JintEngine engine)
    {
        var binary = NodeBinary.For(engine);
        var crypto = new JsObject(engine);
        Method(crypto, "createHash", 1, arguments => Hasher(engine, IncrementalHash.CreateHash(Algorithm(engine, arguments))));
        Method(crypto, "createHmac", 2, arguments => Hasher(engine, IncrementalHash.CreateHMAC(Algorithm(engine, arguments),
            TextOrBinary(engine, Argument(arguments, 1), "key", KeyTypes, binary.MaxBytes))));
        Method(crypto, "randomBytes", 1, arguments => binary.ToBuffer(engine, RandomNumberGenerator.GetBytes(Size(engine, Argument(arguments, 0), binary.MaxBytes))));
        Method(crypto, "randomFillSync", 1, arguments => RandomFill(engine, Argument(arguments, 0), binary.MaxBytes));
        Method(crypto, "randomUUID", 0, _ => Guid.NewGuid().ToString("D"));
        Method(crypto, "timingSafeEqual", 2, arguments =>
        {
            var left = Binary(engine, Argument(arguments, 0), "buf1", binary.MaxBytes);
            var right = Binary(engine, Argument(arguments, 1), "buf2", binary.MaxBytes);
            return left.Length == right.Length ? CryptographicOperations.FixedTimeEquals(left, right)
                : throw new JavaScriptException(engine.Intrinsics.TypeError, "Input buffers must have the same byte length");
        });
        Method(crypto, "getHashes", 0, _ => new JsArray(engine, Algorithms.Keys.Select(name => (JsValue)name).ToArray()));
        return crypto;

        void Method(ObjectInstance target, string name, int length, Func<JsValue[], JsValue> body) =>
            target.FastSetDataProperty(name, new ClrFunction(engine, name, (_, arguments) => body(arguments), length));
    }

    /// <summary>A Node <c>Hash</c>/<c>Hmac</c>: <c>update(data, encoding)</c> returns it; <c>digest(encoding)</c> ends it.</summary>
    private static JsObject Hasher(JintEngine engine, IncrementalHash hash)
    {
        var binary = NodeBinary.For(engine);
        var hasher = new JsObject(engine);
        var finished = false;
        hasher.FastSetDataProperty("update", new ClrFunction(engine, "update", (_, arguments) =>
        {
            if (finished)
            {
                throw new JavaScriptException(engine.Intrinsics.Error, "Digest already called");
            }

            var encoding = Argument(arguments, 1).IsString() ? Argument(arguments, 1).AsString() : "utf8";
            hash.AppendData(TextOrBinary(engine, Argument(arguments, 0), "data", DataTypes, binary.MaxBytes, encoding));
            return hasher;
        }, 2));
        hasher.FastSetDataProperty("digest", new ClrFunction(engine, "digest", (_, arguments) =>
        {
            if (finished)
            {
                throw new JavaScriptException(engine.Intrinsics.Error, "Digest already called");
            }

            finished = true;
            var digest = hash.GetHashAndReset();
            hash.Dispose();
            return Argument(arguments, 0).IsString() ? NodeBinary.Decode(engine, digest, Argument(arguments, 0).AsString()) : binary.ToBuffer(engine, digest);
        }, 1));
        return hasher;
    }

    /// <summary>A string's or binary argument's bytes; anything else is Node's <c>ERR_INVALID_ARG_TYPE</c> naming the argument.</summary>
    private static byte[] TextOrBinary(JintEngine engine, JsValue value, string argument, string types, int maxBytes, string encoding = "utf8") =>
        value.IsString() || NodeBinary.IsBinary(value) ? NodeBinary.Bytes(engine, value, maxBytes, encoding)
            : throw NodeInvalidArgType.Create(engine, argument, types, value);

    /// <summary>A binary argument's bytes (<c>timingSafeEqual</c> takes no strings); Node's message says only what it must be.</summary>
    private static byte[] Binary(JintEngine engine, JsValue value, string argument, int maxBytes) =>
        NodeBinary.IsBinary(value) ? NodeBinary.Bytes(engine, value, maxBytes)
            : throw NodeInvalidArgType.Create(engine, argument, "an instance of ArrayBuffer, Buffer, TypedArray, or DataView", null);

    private static HashAlgorithmName Algorithm(JintEngine engine, JsValue[] arguments)
    {
        var name = TypeConverter.ToString(Argument(arguments, 0));
        return Algorithms.TryGetValue(name, out var algorithm) ? algorithm
            : throw new JavaScriptException(engine.Intrinsics.Error, $"Digest method not supported: {name}");
    }

    private static int Size(JintEngine engine, JsValue value, int maxBytes)
    {
        var size = TypeConverter.ToNumber(value);
        return size >= 0 && size <= maxBytes && size == Math.Floor(size) ? (int)size
            : throw new JavaScriptException(engine.Intrinsics.TypeError, $"binary data is limited to {maxBytes} bytes in rules; size must be a whole number from 0 to {maxBytes}");
    }

    private static JsValue RandomFill(JintEngine engine, JsValue target, int maxBytes)
    {
        if (target is not ObjectInstance array || !target.IsUint8Array())
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, "randomFillSync needs a Buffer or Uint8Array");
        }

        var bytes = RandomNumberGenerator.GetBytes(Size(engine, array.Get("length"), maxBytes));
        for (var index = 0; index < bytes.Length; index++)
        {
            array.Set(index, (int)bytes[index]);
        }

        return target;
    }

    private static JsValue Argument(JsValue[] arguments, int index) => index < arguments.Length ? arguments[index] : JsValue.Undefined;
}
