using System.Reflection;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace RulesMfa.Engine.Sandbox.Pooling;

/// <summary>
/// Every intrinsic object of an engine's realm, including those no global property holds: the iterator
/// prototypes, <c>%AsyncFunction%</c>, <c>%TypedArray%</c>, the <c>ArrayBuffer</c> behind <c>Buffer</c>... A rule
/// reaches them through values (<c>Object.getPrototypeOf([][Symbol.iterator]())</c>), so a reused engine
/// freezes them all. Jint keeps most of them internal to its <see cref="Intrinsics"/>; they are read by reflection.
/// </summary>
internal static class RealmIntrinsics
{
    private static readonly PropertyInfo[] Properties = typeof(Intrinsics)
        .GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        .Where(property => typeof(ObjectInstance).IsAssignableFrom(property.PropertyType) && property.GetIndexParameters().Length == 0)
        .ToArray();

    public static IEnumerable<JsValue> Of(JintEngine engine) =>
        Properties.Select(property => property.GetValue(engine.Intrinsics)).OfType<ObjectInstance>();
}
