using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>
/// A token's three parts as jsonwebtoken splits them, read without the claim rules of .NET's JWT library (which refuses
/// a numeric <c>aud</c> or <c>iss</c> that jsonwebtoken reads and compares): the header and the payload.
/// </summary>
internal sealed record CompactJwt(string EncodedHeader, string EncodedPayload, string EncodedSignature, JsonObject Header, JsonObject? Payload)
{
    /// <summary>The header's <c>alg</c>; without a string one the token still decodes, and verify finds its algorithm ("") not allowed.</summary>
    public string Alg => Header["alg"] is JsonValue alg && alg.TryGetValue<string>(out var name) ? name : "";

    /// <summary>The token's parts (its payload null when it is not a JSON object), or null when it is not three parts with a JSON object as header.</summary>
    public static CompactJwt? Read(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || !parts.All(part => part.All(IsBase64Url)))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(Base64UrlEncoder.Decode(parts[0])) is JsonObject header
                ? new CompactJwt(parts[0], parts[1], parts[2], header, ReadPayload(parts[1]))
                : null;
        }
        catch (Exception exception) when (exception is JsonException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static bool IsBase64Url(char c) => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_';

    private static JsonObject? ReadPayload(string encoded)
    {
        try
        {
            return JsonNode.Parse(Base64UrlEncoder.Decode(encoded)) as JsonObject;
        }
        catch (Exception exception) when (exception is JsonException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Whether the signature is <paramref name="key"/>'s over the header and payload with the token's alg.</summary>
    public bool IsSignedBy(SecurityKey key)
    {
        var provider = key.CryptoProviderFactory.CreateForVerifying(key, Alg);
        try
        {
            return provider.Verify(System.Text.Encoding.ASCII.GetBytes(EncodedHeader + "." + EncodedPayload), Base64UrlEncoder.DecodeBytes(EncodedSignature));
        }
        finally
        {
            key.CryptoProviderFactory.ReleaseSignatureProvider(provider);
        }
    }
}
