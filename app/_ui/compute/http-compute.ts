import {
  type ComputeAccepted,
  type ComputeRequest,
  type ResultOrigin,
  resultKey,
} from '@/lib/protocol/compute';
import type { HttpErrorBody } from '@/lib/protocol/http';
import { ERROR_CODES, type ErrorCode, type Response } from '@/lib/protocol/socket';
import type { ServerCompute } from './compute-client';

/**
 * Server compute for pages without a session socket (replays): one POST per
 * result, answered as [4-byte meta length][meta JSON][bytes], or 503 when the
 * server declines (the browser then computes).
 */
export class HttpCompute implements ServerCompute {
  readonly connected = true;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
  ) {}

  async computeOnServer(request: ComputeRequest): Promise<Response<ComputeAccepted>> {
    let res: globalThis.Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.headers },
        body: JSON.stringify(request),
      });
    } catch (error) {
      return { ok: false, error: { code: 'internal', message: (error as Error).message } };
    }
    if (res.status === 503) {
      return {
        ok: true,
        value: { status: 'unavailable', key: resultKey(request), reason: 'server busy or off' },
      };
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as Partial<HttpErrorBody>;
      const named = body.error?.code;
      const code = isErrorCode(named) ? named : res.status === 400 ? 'bad-request' : 'internal';
      return { ok: false, error: { code, message: body.error?.message ?? `HTTP ${res.status}` } };
    }
    const buffer = new Uint8Array(await res.arrayBuffer());
    const length = new DataView(buffer.buffer, buffer.byteOffset, 4).getUint32(0);
    const head = JSON.parse(new TextDecoder().decode(buffer.subarray(4, 4 + length))) as {
      meta: unknown;
      origin: ResultOrigin;
      key: string;
    };
    const bytes = buffer.subarray(4 + length);
    return {
      ok: true,
      value: { status: 'done', key: head.key, result: { meta: head.meta, bytes }, origin: head.origin },
    };
  }

  watchCompute(): () => void {
    return () => {};
  }
}

const isErrorCode = (code: string | undefined): code is ErrorCode =>
  (ERROR_CODES as readonly string[]).includes(code ?? '');
