using System.Text;
using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>
/// The <c>jwt</c> global Auth0 gave rules: jsonwebtoken's <c>sign</c>, <c>verify</c> and <c>decode</c> for
/// HS256/384/512 and RS256/384/512, on Microsoft.IdentityModel's token handler (sign) and signature providers (verify,
/// on the token as jsonwebtoken reads it: <see cref="CompactJwt"/>). Times come from the rule's clock.
/// Both synchronous calls and the callback form (called back after the current job) work.
/// </summary>
internal static class NodeJwt
{
    private static readonly string[] Algorithms = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512"];
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static JsObject Create(JintEngine engine)
    {
        var jwt = new JsObject(engine);
        jwt.FastSetDataProperty("sign", new ClrFunction(engine, "sign", (_, arguments) =>
            WithCallback(engine, arguments, 2, () => Sign(engine, Argument(arguments, 0), Argument(arguments, 1), OptionsArgument(arguments, 2))), 3));
        jwt.FastSetDataProperty("verify", new ClrFunction(engine, "verify", (_, arguments) =>
            WithCallback(engine, arguments, 2, () => Verify(engine, Argument(arguments, 0), Argument(arguments, 1), Options(arguments, 2))), 3));
        jwt.FastSetDataProperty("decode", new ClrFunction(engine, "decode", (_, arguments) => Decode(engine, Argument(arguments, 0), Options(arguments, 1)), 2));
        return jwt;
    }

    private static JsValue Sign(JintEngine engine, JsValue payload, JsValue key, JsValue optionsArgument)
    {
        if (payload is not ObjectInstance payloadObject || payload.IsArray() || JsValueConverter.ToJson(engine, payload, Limits(engine), "jwt payload") is not JsonObject claims)
        {
            throw JwtErrors.Create(engine, "Error", "payload must be a plain object in rules");
        }

        // sign.js's order after its key checks (here the key is checked last, README): the header's algorithm (a truthy one
        // that is no string fails in startsWith), the payload's own checks, the options' schema; notBefore before expiresIn.
        var given = optionsArgument as ObjectInstance;
        if (given?.Get("algorithm") is { } named && TypeConverter.ToBoolean(named) && !named.IsString())
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, "header.alg.startsWith is not a function");
        }

        JwtPayloadClaims.CheckNumeric(engine, payloadObject);
        JwtPayloadClaims.CheckTimes(engine, payloadObject, given);
        var options = JwtSignOptions.Validate(engine, optionsArgument);
        var algorithm = StringOption(options, "algorithm") ?? "HS256";
        if (!Algorithms.Contains(algorithm))
        {
            throw JwtErrors.Create(engine, "Error", $"\"algorithm\" must be a valid string enum value: {string.Join(", ", Algorithms)}");
        }

        // payload.iat || now: an iat of 0 counts from now, and becomes it.
        var issuedAt = payloadObject.Get("iat") is var iat && iat.IsNumber() && TypeConverter.ToBoolean(iat) ? iat.AsNumber() : Now(engine);
        if (options?.Get("noTimestamp") is { } noTimestamp && TypeConverter.ToBoolean(noTimestamp))
        {
            claims.Remove("iat");
        }
        else
        {
            claims["iat"] = Number(engine, issuedAt);
        }

        SetTime(engine, claims, options, "notBefore", "nbf", issuedAt);
        SetTime(engine, claims, options, "expiresIn", "exp", issuedAt);
        foreach (var (option, claim) in new[] { ("audience", "aud"), ("issuer", "iss"), ("subject", "sub"), ("jwtid", "jti") })
        {
            if (options?.Get(option) is { } value && !value.IsUndefined())
            {
                JwtPayloadClaims.CheckClaimOption(engine, payloadObject, option, claim);
                claims[claim] = JsValueConverter.ToJson(engine, value, Limits(engine), "jwt payload");
            }
        }

        var signingKey = JwtKeys.For(engine, algorithm, key, signing: true);
        signingKey.KeyId = StringOption(options, "keyid");
        try
        {
            return Handler.CreateToken(claims.ToJsonString(), new SigningCredentials(signingKey, algorithm));
        }
        catch (Exception exception) when (exception is SecurityTokenException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            // The library's message can quote key material: say only what failed.
            throw JwtErrors.Create(engine, "Error", $"the token could not be signed with {algorithm} and this key");
        }
    }

    private static JsValue Verify(JintEngine engine, JsValue tokenValue, JsValue key, ObjectInstance? options)
    {
        var token = Read(engine, tokenValue);
        if (token?.Payload is not { } payload)
        {
            throw JwtErrors.Create(engine, "JsonWebTokenError", "jwt malformed");
        }

        var allowed = options?.Get("algorithms") is JsArray list ? list.Select(TypeConverter.ToString).ToArray()
            : JwtKeys.IsSecret(key) ? ["HS256", "HS384", "HS512"] : ["RS256", "RS384", "RS512"];
        if (!allowed.Contains(token.Alg) || !Algorithms.Contains(token.Alg))
        {
            throw JwtErrors.Create(engine, "JsonWebTokenError", "invalid algorithm");
        }

        var verifyingKey = JwtKeys.For(engine, token.Alg, key, signing: false);
        bool valid;
        try
        {
            valid = token.IsSignedBy(verifyingKey);
        }
        catch (Exception exception) when (exception is SecurityTokenException or ArgumentException or FormatException or System.Security.Cryptography.CryptographicException)
        {
            valid = false;
        }

        if (!valid)
        {
            throw JwtErrors.Create(engine, "JsonWebTokenError", "invalid signature");
        }

        JwtClaimChecks.Check(engine, payload, options, Now(engine));
        return options?.Get("complete") is { } complete && TypeConverter.ToBoolean(complete) ? Complete(engine, token, payload) : JsValueConverter.ToJs(engine, payload);
    }

    private static JsValue Decode(JintEngine engine, JsValue tokenValue, ObjectInstance? options)
    {
        var token = Read(engine, tokenValue);
        if (token?.Payload is not { } payload)
        {
            return JsValue.Null;
        }

        return options?.Get("complete") is { } complete && TypeConverter.ToBoolean(complete) ? Complete(engine, token, payload) : JsValueConverter.ToJs(engine, payload);
    }

    private static CompactJwt? Read(JintEngine engine, JsValue value) =>
        value.IsString() && value.AsString().Length <= NodeBinary.For(engine).MaxBytes * 2 ? CompactJwt.Read(value.AsString()) : null;

    private static JsObject Complete(JintEngine engine, CompactJwt token, JsonObject payload)
    {
        var complete = new JsObject(engine);
        complete.FastSetDataProperty("header", JsValueConverter.ToJs(engine, token.Header));
        complete.FastSetDataProperty("payload", JsValueConverter.ToJs(engine, payload));
        complete.FastSetDataProperty("signature", token.EncodedSignature);
        return complete;
    }

    private static void SetTime(JintEngine engine, JsonObject claims, ObjectInstance? options, string option, string claim, double issuedAt)
    {
        if (options?.Get(option) is not { } value || value.IsUndefined())
        {
            return;
        }

        claims[claim] = JwtTimespan.At(value, issuedAt) is { } time ? Number(engine, time)
            : throw JwtErrors.Create(engine, "Error", $"\"{option}\" should be a number of seconds or string representing a timespan eg: \"1d\", \"20h\", 60");
    }

    /// <summary>A number as JSON.stringify writes it (1e+21, not .NET's 1E+21), so the token's bytes are Node's.</summary>
    private static JsonNode? Number(JintEngine engine, double value) => JsValueConverter.ToJson(engine, JsNumber.Create(value), Limits(engine), "jwt payload");

    /// <summary>Runs <paramref name="body"/>; with a callback argument, hands it <c>(err, result)</c> after the current job instead.</summary>
    private static JsValue WithCallback(JintEngine engine, JsValue[] arguments, int optionsIndex, Func<JsValue> body)
    {
        var callback = arguments.Skip(optionsIndex).FirstOrDefault(argument => argument.IsCallable());
        if (callback is null)
        {
            return body();
        }

        JsValue error = JsValue.Null, result = JsValue.Undefined;
        try
        {
            result = body();
        }
        catch (JavaScriptException thrown)
        {
            error = thrown.Error;
        }

        var (promise, resolve, _) = engine.Advanced.RegisterPromise();
        resolve(JsValue.Undefined);
        engine.Call(promise.Get("then"), promise, [new ClrFunction(engine, "", (_, _) => engine.Call(callback, JsValue.Undefined, [error, result]))]);
        return JsValue.Undefined;
    }

    private static long Now(JintEngine engine) => SandboxOf(engine).Clock.GetUtcNow().ToUnixTimeSeconds();

    private static SandboxLimits Limits(JintEngine engine) => SandboxOf(engine).Limits;

    private static LoginSandbox SandboxOf(JintEngine engine) =>
        engine.Advanced.HostDefined as LoginSandbox ?? throw new InvalidOperationException("The engine has no login sandbox.");

    /// <summary>Sign's options as given (a callback in their place is no options): its schema decides what they may be.</summary>
    private static JsValue OptionsArgument(JsValue[] arguments, int index) => Argument(arguments, index) is var options && options.IsCallable() ? JsValue.Undefined : options;

    private static ObjectInstance? Options(JsValue[] arguments, int index) => Argument(arguments, index) as ObjectInstance is { } options && !options.IsCallable() ? options : null;

    private static string? StringOption(ObjectInstance? options, string name) => options?.Get(name) is { } value && value.IsString() ? value.AsString() : null;

    private static JsValue Argument(JsValue[] arguments, int index) => index < arguments.Length ? arguments[index] : JsValue.Undefined;
}
