// An activation atlas as one byte buffer (a file, a database column): a little-endian length, the JSON
// header, then its typed arrays (lib/protocol/codec), 8-byte aligned.
import { decodeResult, encodeResult } from '@/lib/protocol/codec';
import type { ActivationAtlas } from './atlas';

const MAGIC = 'CLATLAS1';

export function atlasToBytes(atlas: ActivationAtlas): Uint8Array<ArrayBuffer> {
  const { meta, bytes } = encodeResult(atlas);
  const header = new TextEncoder().encode(JSON.stringify(meta));
  const start = Math.ceil((MAGIC.length + 4 + header.length) / 8) * 8;
  const out = new Uint8Array(start + bytes.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.length, true);
  out.set(header, MAGIC.length + 4);
  out.set(bytes, start);
  return out;
}

export function atlasFromBytes(data: Uint8Array): ActivationAtlas {
  if (new TextDecoder().decode(data.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new Error('not an activation atlas (bad magic)');
  }
  const length = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(MAGIC.length, true);
  if (MAGIC.length + 4 + length > data.length) throw new Error('a truncated activation atlas');
  const meta = JSON.parse(
    new TextDecoder().decode(data.subarray(MAGIC.length + 4, MAGIC.length + 4 + length)),
  );
  const start = Math.ceil((MAGIC.length + 4 + length) / 8) * 8;
  return decodeResult<ActivationAtlas>({ meta, bytes: data.subarray(start) });
}
