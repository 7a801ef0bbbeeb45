// Seeded socket fuzz (issue 10): every client event name, and unknown names, get CONVLENS_FUZZ_MESSAGES
// (default 2,000) malformed, mutated or oversized payloads each, with and without acks, while an instructor keeps
// acting. The server must not crash, must answer what it answers with a well-formed response, and the log must
// stay gap-free with every acknowledged action in it. CONVLENS_FUZZ_SEED picks the sequence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionExport } from '@/lib/protocol/replay';
import type { Response } from '@/lib/protocol/socket';
import { PROTOCOL_VERSION } from '@/lib/protocol/version';
import { fold } from '@/lib/session/reducer';
import { pick, seededRandom } from '../helpers/random';
import { connect, startServer, type TestServer, type TestSocket } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

const MESSAGES = Number(process.env.CONVLENS_FUZZ_MESSAGES ?? 2000);
const SEED = Number(process.env.CONVLENS_FUZZ_SEED ?? 20261130);
const IN_FLIGHT = 40;
const ACK_TIMEOUT_MS = 30_000;
/** Events the server answers; the others (cancels, unknown names) take no acknowledgement. */
const ANSWERED = new Set([
  'session:join',
  'session:act',
  'session:presence',
  'session:probe',
  'compute:request',
  'compute:prepare',
]);

type Random = () => number;
type Template = () => unknown;

/** Valid payloads per event name: the fuzz mutates these as often as it sends noise. */
function templates(joinCode: string): Record<string, Template[]> {
  const mnist = { modelId: 'mnist-cnn', imageId: 'mnist/000-4.png' };
  return {
    'session:join': [
      () => ({ protocolVersion: PROTOCOL_VERSION, joinCode, name: 'Fuzz' }),
      () => ({
        protocolVersion: PROTOCOL_VERSION,
        joinCode,
        participantId: 'constructor',
        resumeSecret: 'x',
      }),
      () => ({ protocolVersion: PROTOCOL_VERSION, joinCode, instructorKey: 'not-the-key' }),
    ],
    'session:act': [
      () => ({ type: 'view.set', view: 'occlusion' }),
      () => ({ type: 'layer.set', layer: 'conv1' }),
      () => ({ type: 'neuron.set', neuron: { layer: 'conv1', y: 3, x: 4, c: 1 } }),
      () => ({ type: 'occlusion.set', params: { patch: 4, stride: 2, fill: 'grey', classIndex: 4 } }),
      () => ({ type: 'image.set', imageId: 'mnist/001-7.png' }),
      () => ({ type: 'mode.set', mode: 'free' }),
      () => ({ type: 'probe.set', probe: { y: 2, x: 2 } }),
    ],
    'session:presence': [
      () => ({ backend: 'wasm', following: 'exploring', view: 'filters', screenWidth: 1280 }),
    ],
    'session:probe': [() => ({ probe: { y: 1, x: 5 } }), () => ({ probe: null })],
    'compute:request': [
      () => ({ kind: 'predict', ...mnist }),
      () => ({ kind: 'model-info', modelId: 'mnist-cnn' }),
      () => ({ kind: 'occlusion', ...mnist, patch: 7, stride: 7, fill: 'grey', classIndex: null }),
    ],
    'compute:cancel': [() => ({ key: 'predict:0123456789abcdef' })],
    'compute:prepare': [() => ({ source: 'history' })],
    'compute:prepare-cancel': [() => undefined],
    'no:such:event': [() => ({ hello: 'world' })],
    constructor: [() => ({})],
    ['__proto__']: [() => ({ polluted: true })],
  };
}

function noise(random: Random, depth = 0): unknown {
  const kinds = depth > 3 ? 6 : 9;
  switch (Math.floor(random() * kinds)) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick(random, [0, -1, 1e308, -1e308, 2 ** 53, 0.5, -0.0, 4096, 65_536, Number.MAX_SAFE_INTEGER]);
    case 3:
      return pick(random, [
        '',
        'a',
        '\ud800',
        '\u0000\u001f',
        '<script>',
        '../../etc/passwd',
        '🙂'.repeat(50),
      ]);
    case 4:
      return 'x'.repeat(Math.floor(random() * 20_000));
    case 5:
      return Buffer.alloc(Math.floor(random() * 1024), 7);
    case 6:
      return Array.from({ length: Math.floor(random() * 5) }, () => noise(random, depth + 1));
    case 7: {
      const keys = [
        'type',
        'kind',
        'view',
        'layer',
        '__proto__',
        'constructor',
        'prototype',
        'seq',
        'neuron',
      ];
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 5) }, () => [
          pick(random, keys),
          noise(random, depth + 1),
        ]),
      );
    }
    default:
      return {
        type: pick(random, ['view.set', 'exercise.start', 'session.end', 'image.set']),
        view: noise(random, 4),
      };
  }
}

/** A valid payload with one or two fields replaced, removed or added. */
function mutate(random: Random, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value))
    return random() < 0.5 ? value : noise(random);
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) setOwn(copy, key, field);
  const keys = Object.keys(copy);
  for (let i = 0; i < 1 + Math.floor(random() * 2); i++) {
    const roll = random();
    const key = keys.length ? pick(random, keys) : 'x';
    if (roll < 0.4) setOwn(copy, key, noise(random));
    else if (roll < 0.6) delete copy[key];
    else if (roll < 0.8) setOwn(copy, key, mutate(random, copy[key]));
    else setOwn(copy, pick(random, ['__proto__', 'constructor', 'extra', 'seq', 'actor']), noise(random));
  }
  return copy;
}

/** An own property even for "__proto__" (plain assignment would set the prototype, on the client only). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function wellFormed(response: unknown): boolean {
  if (!response || typeof response !== 'object') return false;
  const r = response as Response<unknown>;
  if (r.ok === true) return 'value' in r;
  return r.ok === false && typeof r.error?.code === 'string' && typeof r.error?.message === 'string';
}

describe('seeded socket fuzz', () => {
  let server: TestServer;
  let joinCode: string;
  let instructorKey: string;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    // Budgets high enough that the fuzz reaches the handlers instead of the rate limiter (tested elsewhere).
    const plenty = { points: 1_000_000, seconds: 1 };
    server = await startServer('sqlite', {
      computeWorkers: 1,
      limits: {
        socketMessages: plenty,
        participantMessages: plenty,
        computeRequests: plenty,
        unknownEvents: plenty,
      },
    });
    ({ joinCode, instructorKey } = await createSession(server.url));
  });
  afterAll(async () => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await server.stop();
  });

  it(`survives ${MESSAGES} messages per event name with a gap-free log (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const byEvent = templates(joinCode);
    const teacher = await TestParticipant.join(server.url, { joinCode, instructorKey });
    const acknowledged = new Map<number, string>();
    let fuzzing = true;
    const views = ['filters', 'occlusion', 'receptive-field', 'top-activating'] as const;
    const instructor = (async () => {
      for (let i = 0; fuzzing; i++) {
        const answer = await teacher.act({ type: 'view.set', view: views[i % views.length] });
        if (answer.ok) acknowledged.set(answer.value.seq, views[i % views.length]);
      }
    })();

    const malformed: { event: string; response: unknown }[] = [];
    let unanswered = 0;
    let sockets: TestSocket[] = [];
    const liveSocket = async (): Promise<TestSocket> => {
      sockets = sockets.filter((s) => s.connected);
      if (sockets.length < 4) {
        const socket = await connect(server.url);
        if (random() < 0.7)
          socket.emit('session:join', { protocolVersion: PROTOCOL_VERSION, joinCode, name: 'F' }, () => {});
        sockets.push(socket);
      }
      return pick(random, sockets);
    };

    for (const [event, valid] of Object.entries(byEvent)) {
      for (let sent = 0; sent < MESSAGES; sent += IN_FLIGHT) {
        const batch = Array.from({ length: Math.min(IN_FLIGHT, MESSAGES - sent) }, async () => {
          const socket = await liveSocket();
          const payload = random() < 0.5 ? mutate(random, pick(random, valid)()) : noise(random);
          const emit = socket.emit as (event: string, ...args: unknown[]) => void;
          if (!ANSWERED.has(event) || random() < 0.25) {
            emit.call(socket, event, payload);
            return;
          }
          const response = await new Promise<unknown>((resolve) => {
            const timer = setTimeout(() => resolve(undefined), ACK_TIMEOUT_MS);
            const done = (r: unknown) => {
              clearTimeout(timer);
              resolve(r);
            };
            socket.once('disconnect', () => done('disconnected'));
            emit.call(socket, event, payload, done);
          });
          if (response === undefined) unanswered++;
          else if (response !== 'disconnected' && !wellFormed(response)) malformed.push({ event, response });
        });
        await Promise.all(batch);
      }
    }
    fuzzing = false;
    await instructor;
    for (const socket of sockets) socket.close();

    expect(crashes).toEqual([]);
    expect(malformed.slice(0, 5)).toEqual([]);
    expect(unanswered).toBe(0);

    const res = await fetch(`${server.url}/api/sessions/${joinCode}/export`, {
      headers: { authorization: `Bearer ${instructorKey}` },
    });
    const events = ((await res.json()) as SessionExport).events;
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const bySeq = new Map(events.map((e) => [e.seq, e.body]));
    for (const [seq, view] of acknowledged) expect(bySeq.get(seq)).toMatchObject({ type: 'view.set', view });

    // The server still serves: a late joiner folds to the instructor's state, health is ok.
    const late = await TestParticipant.join(server.url, { joinCode, name: 'Late' });
    await teacher.until(late.state?.seq ?? 0);
    expect(fold(events).seq).toBe(events.length);
    expect(late.state?.view).toEqual(teacher.state?.view);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    late.close();
    teacher.close();
  }, 900_000);
});
