using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace RulesMfa.Engine.Sandbox;

/// <summary>An object's own property names, as <c>Object.keys</c> and <c>JSON.stringify</c> read them.</summary>
internal static class OwnKeys
{
    /// <summary>
    /// The own string keys of <paramref name="value"/>. A proxy's <c>ownKeys</c> trap may answer symbols whatever was
    /// asked (Jint hands the filter to no trap); they are left out. Without a symbol, the list is Jint's own.
    /// </summary>
    public static List<JsValue> Named(ObjectInstance value)
    {
        var keys = value.GetOwnPropertyKeys(Types.String);
        return keys.Exists(static key => !key.IsString()) ? keys.FindAll(static key => key.IsString()) : keys;
    }
}
