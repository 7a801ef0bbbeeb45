// Results carry typed arrays. Socket.io sends binary attachments but delivers them
// as ArrayBuffer (browser) or Buffer (Node), losing the element type; these tags keep it.

type Tagged = { $typed: 'f32' | 'u8' | 'u8c' | 'i32'; bytes: Uint8Array };

const CONSTRUCTORS = {
  f32: Float32Array,
  u8: Uint8Array,
  u8c: Uint8ClampedArray,
  i32: Int32Array,
} as const;

function tagOf(value: ArrayBufferView): Tagged['$typed'] | null {
  if (value instanceof Float32Array) return 'f32';
  if (value instanceof Uint8ClampedArray) return 'u8c';
  if (value instanceof Int32Array) return 'i32';
  if (value instanceof Uint8Array) return 'u8';
  return null;
}

/** Replaces every typed array with a tagged byte view (no copy). */
export function encodeResult(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    const tag = tagOf(value);
    if (!tag) throw new Error(`cannot encode ${value.constructor.name}`);
    return { $typed: tag, bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength) };
  }
  if (Array.isArray(value)) return value.map(encodeResult);
  if (value instanceof Map) throw new Error('encode Maps as arrays of entries');
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeResult(v)]));
  }
  return value;
}

/** Restores the typed arrays of an encoded result, copying into aligned buffers. */
export function decodeResult<T>(value: unknown): T {
  return decode(value) as T;
}

function decode(value: unknown): unknown {
  if (isTagged(value)) {
    const bytes = toBytes(value.bytes);
    const Ctor = CONSTRUCTORS[value.$typed];
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Ctor(copy.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
  }
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

function isTagged(value: unknown): value is Tagged {
  return typeof value === 'object' && value !== null && '$typed' in value && 'bytes' in value;
}

function toBytes(bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new Error('a typed field has no bytes');
}
