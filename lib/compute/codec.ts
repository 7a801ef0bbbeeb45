// The wire encoding of results is part of the protocol.
export { decodeResult, type EncodedResult, encodeResult } from '../protocol/codec';
