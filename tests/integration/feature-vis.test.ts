// A feature visualisation started by the instructor forms on every screen: the server streams its previews
// once to the whole session, however many members asked for the same job, and caches the final image.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeResult } from '@/lib/compute/codec';
import { runCompute } from '@/lib/compute/run';
import {
  type ComputeAccepted,
  type ComputeRequest,
  FEATURE_VIS_DEFAULTS,
  resultKey,
} from '@/lib/protocol/compute';
import type { FeatureVisResult } from '@/lib/protocol/results';
import type { Response } from '@/lib/protocol/socket';
import { ImageCatalog } from '@/server/catalog/images';
import { initComputeBackend, tf } from '@/server/compute/backend';
import { createServerComputeEnv } from '@/server/compute/env';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

const request: ComputeRequest = {
  kind: 'feature-vis',
  modelId: 'mnist-cnn',
  ...FEATURE_VIS_DEFAULTS,
  objective: { kind: 'channel', layer: 'conv2', channel: 3 },
  steps: 12,
};

function done(response: Response<ComputeAccepted>) {
  if (!response.ok) throw new Error(response.error.message);
  if (response.value.status !== 'done') throw new Error(response.value.reason);
  return response.value;
}

describe('feature visualisation over sockets', () => {
  let server: TestServer;
  let teacher: TestParticipant;
  let student: TestParticipant;
  let bystander: TestParticipant;

  beforeAll(async () => {
    server = await startServer('sqlite');
    const session = await createSession(server.url);
    teacher = await TestParticipant.join(server.url, {
      joinCode: session.joinCode,
      instructorKey: session.instructorKey,
    });
    student = await TestParticipant.join(server.url, { joinCode: session.joinCode, name: 'Ada' });
    bystander = await TestParticipant.join(server.url, { joinCode: session.joinCode, name: 'Bo' });
  });
  afterAll(async () => {
    for (const p of [teacher, student, bystander]) p.close();
    await server.stop();
  });

  it('streams each preview once to every member of the session and caches the final image', async () => {
    const key = resultKey(request);
    const seen = new Map<TestParticipant, number[]>();
    for (const p of [teacher, student, bystander]) {
      seen.set(p, []);
      p.socket.on('compute:partial', (partial: { key: string; result: unknown }) => {
        if (partial.key === key)
          seen.get(p)!.push(decodeResult<FeatureVisResult>(partial.result as never).step);
      });
    }
    // The teacher and one student ask for the same job; the bystander only listens.
    const [fromTeacher, fromStudent] = await Promise.all([
      teacher.request<ComputeAccepted>('compute:request', request),
      student.request<ComputeAccepted>('compute:request', request),
    ]);
    const result = decodeResult<FeatureVisResult>(done(fromTeacher).result);
    expect(decodeResult<FeatureVisResult>(done(fromStudent).result).images[0].data).toEqual(
      result.images[0].data,
    );
    expect(result).toMatchObject({ step: 12, steps: 12, layer: 'conv2' });
    // Previews after steps 1, 2, 4, 8 and the last; each socket gets each one once.
    await expect.poll(() => seen.get(bystander)!.length).toBe(5);
    for (const p of [teacher, student, bystander]) expect(seen.get(p)).toEqual([1, 2, 4, 8, 12]);

    const again = done(await student.request<ComputeAccepted>('compute:request', request));
    expect(again.origin.cached).toBe(true);

    // The browser fallback runs the same code: the same image from the same seed and settings.
    await initComputeBackend();
    const local = await runCompute(createServerComputeEnv(tf, await ImageCatalog.discover()), request);
    expect(Array.from(local.images[0].data)).toEqual(Array.from(result.images[0].data));
  }, 180_000);

  it('refuses a request beyond the caps, naming the field', async () => {
    const response = await teacher.request<ComputeAccepted>('compute:request', { ...request, steps: 5000 });
    expect(response.ok).toBe(false);
    if (!response.ok) expect(response.error.message).toMatch(/^steps: /);
  });
});
