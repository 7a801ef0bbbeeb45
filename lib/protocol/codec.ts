// Results carry typed arrays. Socket.io would send each as its own attachment
// (its decoder accepts at most 10) and deliver them as ArrayBuffer or Buffer,
// losing the element type; so a result travels as JSON plus one byte buffer,
// with each typed array tagged by type, offset and length.

/** A result as it travels: `decodeResult` turns it back into `T`. */
export interface EncodedResult<T = unknown> {
  meta: unknown;
  bytes: Uint8Array;
  /** Never set: only says what this decodes to. */
  readonly decodesTo?: T;
}

type TypeTag = 'f32' | 'u8' | 'u8c' | 'i32';
type Tagged = { $typed: TypeTag; offset: number; length: number };

const CONSTRUCTORS = {
  f32: Float32Array,
  u8: Uint8Array,
  u8c: Uint8ClampedArray,
  i32: Int32Array,
} as const;

const ALIGN = 8;

function tagOf(value: ArrayBufferView): TypeTag {
  if (value instanceof Float32Array) return 'f32';
  if (value instanceof Uint8ClampedArray) return 'u8c';
  if (value instanceof Int32Array) return 'i32';
  if (value instanceof Uint8Array) return 'u8';
  throw new Error(`cannot encode ${value.constructor.name}`);
}

export function encodeResult<T>(value: T): EncodedResult<T> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const walk = (v: unknown): unknown => {
    if (ArrayBuffer.isView(v)) {
      const tag = tagOf(v);
      const offset = size;
      chunks.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      size += Math.ceil(v.byteLength / ALIGN) * ALIGN;
      return { $typed: tag, offset, length: v.byteLength / CONSTRUCTORS[tag].BYTES_PER_ELEMENT };
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Map) throw new Error('encode Maps as arrays of entries');
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const meta = walk(value);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += Math.ceil(chunk.byteLength / ALIGN) * ALIGN;
  }
  return { meta, bytes };
}

/**
 * Restores the typed arrays of an encoded result (bytes as Uint8Array, Buffer or ArrayBuffer). The type
 * follows the encoding where it is known; a caller holding a result of several possible kinds names the one
 * it has checked for.
 */
export function decodeResult<T>(encoded: EncodedResult<T> | EncodedResult): T {
  const { meta, bytes } = encoded as { meta: unknown; bytes: unknown };
  // One aligned copy: typed arrays can then view it directly.
  const source = toBytes(bytes);
  const buffer = new ArrayBuffer(source.byteLength);
  new Uint8Array(buffer).set(source);
  const walk = (v: unknown): unknown => {
    if (isTagged(v)) {
      const Ctor = CONSTRUCTORS[v.$typed];
      if (v.offset % ALIGN !== 0 || v.offset + v.length * Ctor.BYTES_PER_ELEMENT > buffer.byteLength) {
        throw new Error('an encoded result points outside its bytes');
      }
      return new Ctor(buffer, v.offset, v.length);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(meta) as T;
}

function isTagged(value: unknown): value is Tagged {
  return (
    typeof value === 'object' &&
    value !== null &&
    '$typed' in value &&
    typeof (value as Tagged).offset === 'number' &&
    typeof (value as Tagged).length === 'number'
  );
}

function toBytes(bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new Error('an encoded result has no bytes');
}
