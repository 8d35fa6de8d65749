using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// Reads what a Rule asked for from <c>context</c> after it called back: <c>multifactor</c>, <c>idToken</c>
/// and <c>accessToken</c> claims, and <c>redirect</c>. Read after every Rule, so the last Rule's view stands
/// and a reserved claim is blamed on the Rule that set it. A <c>multifactor</c> that reads as the request already
/// held (most rules after the one that asked for MFA leave it alone) keeps that request instead of converting it again.
/// </summary>
internal static class RulesOutputReader
{
    public static void Read(LoginSandbox sandbox, string ruleId, ObjectInstance context)
    {
        var outputs = sandbox.Outputs;
        var multifactor = context.Get("multifactor");
        if (outputs.Multifactor is not { } current || !PlainJson.WouldConvertTo(sandbox.Engine, multifactor, current))
        {
            outputs.RequestProvider(ReadMultifactor(sandbox, multifactor));
        }

        outputs.IdTokenClaims = ReadClaims(sandbox, ruleId, context.Get("idToken"), "idToken", outputs.IdTokenClaims);
        outputs.AccessTokenClaims = ReadClaims(sandbox, ruleId, context.Get("accessToken"), "accessToken", outputs.AccessTokenClaims);
        outputs.RequestRedirect(ruleId, ReadRedirect(context.Get("redirect")), "context.redirect");
    }

    /// <summary><c>true</c> means <c>{provider: "any"}</c>; an object without a provider is taken as <c>any</c> (fail closed).</summary>
    private static JsonObject? ReadMultifactor(LoginSandbox sandbox, JsValue multifactor)
    {
        if (multifactor is ObjectInstance and not Jint.Native.Function.Function)
        {
            var request = JsValueConverter.ToJson(sandbox.Engine, multifactor, sandbox.Limits, "multifactor request") as JsonObject ?? [];
            if (request["provider"] is not JsonValue provider || !provider.TryGetValue<string>(out _))
            {
                request["provider"] = "any";
            }

            return request;
        }

        if (multifactor.IsString())
        {
            return new JsonObject { ["provider"] = multifactor.AsString() };
        }

        return TypeConverter.ToBoolean(multifactor) ? new JsonObject { ["provider"] = "any" } : null;
    }

    /// <summary>
    /// The claims as the rule left them; <paramref name="current"/> itself when they read as it (no claims and an empty
    /// one, or the claims an earlier rule set, untouched since), building no JSON.
    /// </summary>
    private static JsonObject ReadClaims(LoginSandbox sandbox, string ruleId, JsValue claims, string name, JsonObject current)
    {
        JsonObject? result = null;
        if (claims is not ObjectInstance claimsObject)
        {
            return NoneBut(current);
        }

        if (current.Count > 0 && WouldReadAs(sandbox.Engine, claimsObject, current))
        {
            return current;
        }

        foreach (var key in OwnKeys.Named(claimsObject))
        {
            var claim = key.AsString();
            if (ReservedClaims.Contains(claim))
            {
                claimsObject.Delete(key);
                sandbox.Outputs.Log(ruleId, "warn", $"context.{name}['{claim}'] is a reserved claim and was dropped");
            }
            else if (claimsObject.GetOwnProperty(key).Enumerable && claimsObject.Get(key) is var value && !value.IsUndefined() && !value.IsCallable())
            {
                // As JSON.stringify of the claims would: a null claim is kept, undefined and functions are left out.
                result ??= [];
                result[claim] = JsValueConverter.ToJson(sandbox.Engine, value, sandbox.Limits, name == "idToken" ? "ID token claims" : "access token claims");
            }
        }

        return result ?? NoneBut(current);
    }

    /// <summary>
    /// Whether the loop of <see cref="ReadClaims"/> would give exactly <paramref name="current"/>, found without calling
    /// any of the rule's code or building anything: a plain object (no proxy traps), no reserved claim at all (the full
    /// read drops and reports it, enumerable or not), no getter, and each claim it would keep, in order, converting to the
    /// claim at its place. False only means "read it in full".
    /// </summary>
    private static bool WouldReadAs(JintEngine engine, ObjectInstance claims, JsonObject current)
    {
        if (claims.GetType() != typeof(JsObject))
        {
            return false;
        }

        var index = 0;
        foreach (var (key, descriptor) in claims.GetOwnProperties())
        {
            if (!key.IsString())
            {
                continue;
            }

            var claim = key.AsString();
            if (ReservedClaims.Contains(claim) || descriptor.IsAccessorDescriptor() || claim.Length == 0 || char.IsAsciiDigit(claim[0]))
            {
                return false;
            }

            if (!descriptor.Enumerable || descriptor.Value is var value && (value.IsUndefined() || value.IsCallable()))
            {
                continue;
            }

            if (index >= current.Count)
            {
                return false;
            }

            var (storedName, stored) = current.GetAt(index++);
            if (!string.Equals(storedName, claim, StringComparison.Ordinal) || !PlainJson.WouldConvertToNode(engine, value, stored))
            {
                return false;
            }
        }

        return index == current.Count;
    }

    private static JsonObject NoneBut(JsonObject current) => current.Count == 0 ? current : [];

    private static string? ReadRedirect(JsValue redirect) => redirect switch
    {
        ObjectInstance target when target.Get("url") is var url && url.IsString() => url.AsString(),
        _ when redirect.IsString() => redirect.AsString(),
        _ => null,
    };
}
