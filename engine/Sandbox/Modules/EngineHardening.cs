using Acornima.Ast;
using Jint.Native;

namespace RulesMfa.Engine.Sandbox.Modules;

/// <summary>
/// Deep-freezes everything reachable from the given roots (the realm's intrinsics, the loaded modules' exports and
/// the objects they hand out), once per reused engine, so no login can change what the next one sees. Before
/// freezing, the methods and names on prototypes that code commonly overrides by assignment (<c>toString</c>,
/// <c>constructor</c>, an error's <c>name</c>...) become accessors whose setter defines the property on the
/// instance, so that <c>err.name = 'X'</c> keeps working on frozen prototypes as it does in Node; and
/// <c>RegExp.prototype.compile</c> refuses a frozen regular expression before changing it (Jint's, as the
/// specification's, recompiles first and throws only when it then resets <c>lastIndex</c>).
/// </summary>
internal static class EngineHardening
{
    private static readonly Prepared<Script> Harden = JintEngine.PrepareScript(
        """
        (function (globalObject, roots) {
          'use strict';
          const overridable = ['constructor', 'toString', 'toLocaleString', 'valueOf', 'name', 'message', 'toJSON', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable'];
          const { getPrototypeOf, freeze, defineProperty, getOwnPropertyDescriptor } = Object;
          const { ownKeys, apply } = Reflect;
          const nativeCompile = RegExp.prototype.compile;
          defineProperty(RegExp.prototype, 'compile', {
            value: ({
              compile(pattern, flags) {
                const lastIndex = getOwnPropertyDescriptor(this, 'lastIndex');
                if (lastIndex && !lastIndex.writable) { throw new TypeError('Cannot recompile a frozen regular expression'); }
                return apply(nativeCompile, this, arguments);
              },
            }).compile,
            writable: true, enumerable: false, configurable: true,
          });
          const seen = new Set([globalObject]);
          const pending = roots.slice();
          function tame(prototype) {
            for (const key of overridable) {
              const descriptor = getOwnPropertyDescriptor(prototype, key);
              if (!descriptor || !('value' in descriptor) || !descriptor.configurable) { continue; }
              const value = descriptor.value;
              defineProperty(prototype, key, {
                get: function () { return value; },
                set: function (replacement) {
                  if (this === prototype) { throw new TypeError("Cannot assign to read only property '" + key + "' of a frozen object"); }
                  defineProperty(this, key, { value: replacement, writable: true, enumerable: true, configurable: true });
                },
                enumerable: descriptor.enumerable, configurable: false,
              });
            }
          }
          while (pending.length > 0) {
            const item = pending.pop();
            if ((typeof item !== 'object' && typeof item !== 'function') || item === null || seen.has(item)) { continue; }
            seen.add(item);
            const constructor = getOwnPropertyDescriptor(item, 'constructor');
            if (typeof item === 'object' && constructor && 'value' in constructor && typeof constructor.value === 'function') { tame(item); }
            pending.push(getPrototypeOf(item));
            for (const key of ownKeys(item)) {
              const descriptor = getOwnPropertyDescriptor(item, key);
              if ('value' in descriptor) { pending.push(descriptor.value); } else { pending.push(descriptor.get, descriptor.set); }
            }
            freeze(item);
          }
        })
        """,
        "rulesmfa-harden");

    public static void Freeze(JintEngine engine, IEnumerable<JsValue> roots)
    {
        var script = Harden;
        engine.Call(engine.Evaluate(in script), JsValue.Undefined, [engine.Global, new JsArray(engine, roots.ToArray())]);
    }
}
