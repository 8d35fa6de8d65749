using System.Runtime.CompilerServices;
using System.Text;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>
/// One engine's binary data: the size-capped <c>Uint8Array</c> and <c>Buffer</c> of <see cref="BinaryPrelude"/>,
/// with the text encodings done by .NET. Built once per engine, on first use.
/// </summary>
internal sealed class NodeBinary
{
    private static readonly ConditionalWeakTable<JintEngine, NodeBinary> Binaries = new();

    private NodeBinary(JintEngine engine, int maxBytes)
    {
        MaxBytes = maxBytes;
        var prelude = BinaryPrelude.Script;
        var made = (ObjectInstance)engine.Call(engine.Evaluate(in prelude), JsValue.Undefined,
        [
            engine.Intrinsics.Uint8Array, engine.Intrinsics.ArrayBuffer, maxBytes,
            new ClrFunction(engine, "encode", (_, arguments) => Encode(engine, arguments[0].AsString(), arguments[1].AsString()), 2),
            new ClrFunction(engine, "decode", (_, arguments) => Decode(engine, Bytes(engine, arguments[0], maxBytes), arguments[1].AsString()), 2),
        ]);
        Uint8Array = made.Get("Uint8Array");
        Buffer = (ObjectInstance)made.Get("Buffer");
    }

    public int MaxBytes { get; }

    public JsValue Uint8Array { get; }

    public ObjectInstance Buffer { get; }

    public static NodeBinary For(JintEngine engine) => Binaries.GetValue(engine, static target =>
        new NodeBinary(target, (target.Advanced.HostDefined as LoginSandbox)?.Limits.MaxBinaryBytes ?? new SandboxLimits().MaxBinaryBytes));

    /// <summary>A new <c>Buffer</c> holding <paramref name="bytes"/>.</summary>
    public JsValue ToBuffer(JintEngine engine, byte[] bytes)
    {
        var values = new JsValue[bytes.Length];
        for (var index = 0; index < bytes.Length; index++)
        {
            values[index] = (int)bytes[index];
        }

        return engine.Call(Buffer.Get("from"), Buffer, [new JsArray(engine, values)]);
    }

    /// <summary>Whether <paramref name="value"/> is binary data this engine reads: a <c>Buffer</c> or <c>Uint8Array</c>.</summary>
    public static bool IsBinary(JsValue value) => value is ObjectInstance && value.IsUint8Array();

    /// <summary>The bytes of a <c>Buffer</c>/<c>Uint8Array</c>, or of a string in <paramref name="encoding"/>; throws a JavaScript TypeError otherwise.</summary>
    public static byte[] Bytes(JintEngine engine, JsValue value, int maxBytes, string encoding = "utf8")
    {
        if (value.IsString())
        {
            return EncodeText(engine, value.AsString(), encoding, maxBytes);
        }

        if (value is not ObjectInstance array || !value.IsUint8Array())
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, "expected a string, Buffer or Uint8Array");
        }

        var length = (long)TypeConverter.ToLength(array.Get("length"));
        if (length > maxBytes)
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, $"binary data is limited to {maxBytes} bytes in rules");
        }

        var bytes = new byte[length];
        for (var index = 0; index < length; index++)
        {
            bytes[index] = (byte)TypeConverter.ToInt32(array.Get(index));
        }

        return bytes;
    }

    public static string Decode(JintEngine engine, byte[] bytes, string encoding) => encoding.ToLowerInvariant() switch
    {
        "utf8" or "utf-8" => Encoding.UTF8.GetString(bytes),
        "hex" => Convert.ToHexStringLower(bytes),
        "base64" => Convert.ToBase64String(bytes),
        "base64url" => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        "latin1" or "binary" => Encoding.Latin1.GetString(bytes),
        "ascii" => new string(bytes.Select(b => (char)(b & 0x7f)).ToArray()),
        _ => throw UnknownEncoding(engine, encoding),
    };

    private static JsArray Encode(JintEngine engine, string text, string encoding)
    {
        var bytes = EncodeText(engine, text, encoding, For(engine).MaxBytes);
        var values = new JsValue[bytes.Length];
        for (var index = 0; index < bytes.Length; index++)
        {
            values[index] = (int)bytes[index];
        }

        return new JsArray(engine, values);
    }

    private static byte[] EncodeText(JintEngine engine, string text, string encoding, int maxBytes)
    {
        if (text.Length > maxBytes * 2L)
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, $"binary data is limited to {maxBytes} bytes in rules");
        }

        var bytes = encoding.ToLowerInvariant() switch
        {
            "utf8" or "utf-8" => Encoding.UTF8.GetBytes(text),
            "hex" => HexBytes(text),
            "base64" or "base64url" => Base64Bytes(text),
            "latin1" or "binary" or "ascii" => text.Select(c => (byte)c).ToArray(),
            _ => throw UnknownEncoding(engine, encoding),
        };
        return bytes.Length <= maxBytes ? bytes
            : throw new JavaScriptException(engine.Intrinsics.TypeError, $"binary data is limited to {maxBytes} bytes in rules");
    }

    /// <summary>As Node: decoding stops at the first pair that is not hexadecimal.</summary>
    private static byte[] HexBytes(string text)
    {
        var bytes = new List<byte>(text.Length / 2);
        for (var at = 0; at + 1 < text.Length && Uri.IsHexDigit(text[at]) && Uri.IsHexDigit(text[at + 1]); at += 2)
        {
            bytes.Add(Convert.ToByte(text.Substring(at, 2), 16));
        }

        return bytes.ToArray();
    }

    /// <summary>As Node: both alphabets, padding optional, other characters skipped.</summary>
    private static byte[] Base64Bytes(string text)
    {
        var clean = new StringBuilder(text.Length + 3);
        foreach (var c in text)
        {
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '+' or '/')
            {
                clean.Append(c);
            }
            else if (c is '-' or '_')
            {
                clean.Append(c == '-' ? '+' : '/');
            }
            else if (c == '=')
            {
                break;
            }
        }

        if (clean.Length % 4 == 1)
        {
            clean.Length--;
        }

        clean.Append('=', (4 - clean.Length % 4) % 4);
        return Convert.FromBase64String(clean.ToString());
    }

    private static JavaScriptException UnknownEncoding(JintEngine engine, string encoding) =>
        new(engine.Intrinsics.TypeError, $"Unknown encoding: {encoding}");
}
