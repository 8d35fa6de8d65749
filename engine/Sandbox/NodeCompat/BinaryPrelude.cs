using Acornima.Ast;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>
/// The size-capped <c>Uint8Array</c> and Node's <c>Buffer</c> on it, written in JavaScript and parsed once. The
/// intrinsic constructors stay unreachable: the prototypes' <c>constructor</c> names the capped wrappers, and
/// <c>ArrayBuffer.prototype.transfer</c> (which allocates any length) is removed.
/// </summary>
internal static class BinaryPrelude
{
    public static readonly Prepared<Script> Script = JintEngine.PrepareScript(
        """
        (function (IntrinsicUint8Array, IntrinsicArrayBuffer, max, encode, decode) {
          'use strict';
          const TypedArray = Object.getPrototypeOf(IntrinsicUint8Array);
          const tooLarge = (n) => new RangeError('binary data is limited to ' + max + ' bytes in rules, not ' + n);
          function checked(n) { if (!(n <= max)) { throw tooLarge(n); } return n; }
          function Uint8Array(source, offset, length) {
            if (new.target === undefined) { throw new TypeError("Constructor Uint8Array requires 'new'"); }
            let args = arguments;
            if (typeof source === 'object' && source !== null && !(source instanceof IntrinsicArrayBuffer) && !ArrayBuffer_isView(source)) {
              args = [Array.from(source)];
              checked(args[0].length);
            } else if (typeof source === 'object' && source !== null && source instanceof IntrinsicArrayBuffer) {
              checked(source.byteLength);
            } else if (typeof source === 'object' && source !== null) {
              checked(source.length);
            } else {
              checked(source === undefined ? 0 : Number(source));
            }
            return Reflect.construct(IntrinsicUint8Array, args, new.target === Uint8Array ? IntrinsicUint8Array : new.target);
          }
          function ArrayBuffer(length, options) {
            if (new.target === undefined) { throw new TypeError("Constructor ArrayBuffer requires 'new'"); }
            // Each size is read once and the checked number is what the intrinsic gets: a valueOf or getter could
            // answer the check small and the intrinsic's own read large.
            const args = [checked(Number(length))];
            if (options !== undefined) { args.push({ maxByteLength: checked(Number(options && options.maxByteLength)) }); }
            return Reflect.construct(IntrinsicArrayBuffer, args, new.target === ArrayBuffer ? IntrinsicArrayBuffer : new.target);
          }
          const ArrayBuffer_isView = IntrinsicArrayBuffer.isView;
          ArrayBuffer.isView = ArrayBuffer_isView;
          Object.setPrototypeOf(Uint8Array, TypedArray);
          Uint8Array.prototype = IntrinsicUint8Array.prototype;
          Uint8Array.BYTES_PER_ELEMENT = 1;
          ArrayBuffer.prototype = IntrinsicArrayBuffer.prototype;
          Object.defineProperty(IntrinsicUint8Array.prototype, 'constructor', { value: Uint8Array, writable: true, configurable: true });
          Object.defineProperty(IntrinsicArrayBuffer.prototype, 'constructor', { value: ArrayBuffer, writable: true, configurable: true });
          delete IntrinsicArrayBuffer.prototype.transfer;
          delete IntrinsicArrayBuffer.prototype.transferToFixedLength;
          const typedJoin = TypedArray.prototype.join;
          const typedSubarray = TypedArray.prototype.subarray;
          Object.defineProperty(TypedArray.prototype, 'join', { writable: true, configurable: true, value: function join(separator) {
            const length = this.length * (4 + (separator === undefined ? 1 : String(separator).length));
            if (length > 4 * max) { throw tooLarge(length); }
            return typedJoin.call(this, separator);
          } });

          function make(source) { return Reflect.construct(Uint8Array, [source], Buffer); }
          // Also what TypedArray methods construct (subarray, map, ...): new Buffer(length) or new Buffer(arrayBuffer, offset, length).
          function Buffer(value, encodingOrOffset, length) {
            return typeof value === 'number' ? Buffer.alloc(value) : Buffer.from(value, encodingOrOffset, length);
          }
          Buffer.prototype = Object.create(IntrinsicUint8Array.prototype, { constructor: { value: Buffer, writable: true, configurable: true } });
          Object.setPrototypeOf(Buffer, Uint8Array);
          Buffer.from = function from(value, encodingOrOffset, length) {
            if (typeof value === 'string') { return make(encode(value, encodingOrOffset === undefined ? 'utf8' : String(encodingOrOffset))); }
            if (value instanceof IntrinsicUint8Array || Array.isArray(value)) { return make(value); }
            // As Node: a view of the ArrayBuffer's memory, not a copy.
            if (value instanceof IntrinsicArrayBuffer) { return Reflect.construct(Uint8Array, [value, encodingOrOffset, length], Buffer); }
            if (value !== null && typeof value === 'object' && value.type === 'Buffer' && Array.isArray(value.data)) { return make(value.data); }
            throw new TypeError('The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object.');
          };
          Buffer.alloc = function alloc(size, fill) {
            const buffer = make(checked(Number(size)));
            if (fill !== undefined) { buffer.fill(typeof fill === 'number' ? fill : Buffer.from(String(fill))[0] || 0); }
            return buffer;
          };
          Buffer.isBuffer = function isBuffer(value) { return value instanceof Buffer; };
          Buffer.isEncoding = function isEncoding(name) {
            return ['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii'].includes(String(name).toLowerCase());
          };
          Buffer.byteLength = function byteLength(value, encoding) {
            return typeof value === 'string' ? encode(value, encoding === undefined ? 'utf8' : String(encoding)).length : value.byteLength;
          };
          Buffer.concat = function concat(list) {
            let total = 0;
            for (const item of list) { total += item.length; }
            const result = make(checked(total));
            let at = 0;
            for (const item of list) { result.set(item, at); at += item.length; }
            return result;
          };
          Buffer.prototype.toString = function toString(encoding, start, end) {
            const from = start === undefined ? 0 : start;
            const to = end === undefined ? this.length : end;
            return decode(new IntrinsicUint8Array(this.buffer, this.byteOffset, this.length).subarray(from, to), encoding === undefined ? 'utf8' : String(encoding));
          };
          Buffer.prototype.equals = function equals(other) {
            if (!(other instanceof IntrinsicUint8Array)) { throw new TypeError('The "otherBuffer" argument must be an instance of Buffer or Uint8Array.'); }
            if (this.length !== other.length) { return false; }
            for (let i = 0; i < this.length; i++) { if (this[i] !== other[i]) { return false; } }
            return true;
          };
          Buffer.prototype.toJSON = function toJSON() { return { type: 'Buffer', data: Array.from(this) }; };
          // As Node: slice is subarray, a view of the same memory.
          Buffer.prototype.slice = function slice(start, end) { return typedSubarray.call(this, start, end); };
          return { Uint8Array, Buffer };
        })
        """,
        "rulesmfa-binary");
}
