// npm run bench:hostile — what hostile or heavy clients do to the server's responsiveness, on loopback:
//  1. 1,000 sockets join one session, then leave: the longest event-loop stall, and the instructor's ack
//     latency right after they left;
//  2. one student on 40 sockets floods the server: the instructor's action latency with and without it;
//  3. the largest import the server accepts, then a listing of it: the longest stall of each.
// The server runs in a child process (bench/hostile-server.ts) that measures its own event loop with
// perf_hooks.monitorEventLoopDelay. Bounded: fixed counts, every wait has a timeout.
import { fork } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import * as protocol from '../lib/protocol';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const FLOOD_SOCKETS = 40;
const FLOOD_SECONDS = 8;
const FLOOD_INTERVAL_MS = 10;
const SAMPLES = 40;
const JOIN_BATCH = 50;
const TIMEOUT_MS = 600_000;
/** Before the hardening the import schema allowed 200,000 events; afterwards the protocol names its cap. */
const IMPORT_EVENTS =
  Number(process.env.BENCH_IMPORT_EVENTS ?? 0) ||
  ((protocol as Record<string, unknown>).MAX_IMPORT_EVENTS as number | undefined) ||
  199_000;

const child = fork(join(import.meta.dirname, 'hostile-server.ts'), {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, LOG_LEVEL: 'silent' },
});
const port = await new Promise<number>((resolve) =>
  child.on('message', (m: { type: string; port: number }) => m.type === 'ready' && resolve(m.port)),
);
const base = `http://127.0.0.1:${port}`;

function ask<T>(type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string } & T) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}
const resetStall = () => ask<object>('reset');
const stall = () => ask<{ maxMs: number; p99Ms: number }>('stall');

function withTimeout<T>(promise: Promise<T>, ms = TIMEOUT_MS): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms)),
  ]);
}

function connect(): Promise<Socket> {
  const socket = io(base, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 60_000,
  });
  return withTimeout(
    new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    }),
  );
}

function emit<T>(socket: Socket, event: string, payload: unknown, ms = TIMEOUT_MS): Promise<T> {
  return withTimeout(new Promise((resolve) => socket.emit(event, payload, resolve)), ms);
}

/** An ack that does not come within this long counts as this long (the server is not answering). */
const ACK_GIVE_UP_MS = 20_000;

interface Joined {
  ok: boolean;
  value?: { participantId: string; resumeSecret?: string };
  error?: { code: string };
}

async function postJson<T>(path: string, body: unknown, key?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
}

async function newSession(title: string) {
  const { body } = await postJson<{ joinCode: string; instructorKey: string }>('/api/sessions', { title });
  const teacher = await connect();
  const joined = await emit<Joined>(teacher, 'session:join', {
    protocolVersion: protocol.PROTOCOL_VERSION,
    joinCode: body.joinCode,
    instructorKey: body.instructorKey,
  });
  if (!joined.ok) throw new Error(`the instructor could not join: ${joined.error?.code}`);
  return { ...body, teacher };
}

const VIEWS = ['receptive-field', 'filters', 'occlusion', 'top-activating'];
async function actionLatency(teacher: Socket, samples: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    const view = VIEWS[i % VIEWS.length];
    const answered = await emit(teacher, 'session:act', { type: 'view.set', view }, ACK_GIVE_UP_MS)
      .then(() => true)
      .catch(() => false);
    out.push(answered ? performance.now() - t0 : ACK_GIVE_UP_MS);
    if (!answered) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return out;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const ms = (v: number) =>
  v >= ACK_GIVE_UP_MS
    ? `no answer in ${ACK_GIVE_UP_MS / 1000} s`
    : `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ms`;

async function manySockets() {
  const session = await newSession('many sockets');
  await resetStall();
  const started = performance.now();
  const sockets: Socket[] = [];
  let refused = 0;
  for (let i = 0; i < SOCKETS; i += JOIN_BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(JOIN_BATCH, SOCKETS - i) }, async (_, j) => {
        try {
          const socket = await connect();
          sockets.push(socket);
          const joined = await emit<Joined>(socket, 'session:join', {
            protocolVersion: protocol.PROTOCOL_VERSION,
            joinCode: session.joinCode,
            name: `student ${i + j}`,
          });
          if (!joined.ok) refused++;
        } catch {
          // Not connected or not answered within a minute: the server could not keep up.
          refused++;
        }
      }),
    );
  }
  const joinSeconds = (performance.now() - started) / 1000;
  const joinStall = await stall();
  await resetStall();
  for (const socket of sockets) socket.close();
  await new Promise((r) => setTimeout(r, 3000));
  const latency = await actionLatency(session.teacher, 5);
  const leaveStall = await stall();
  session.teacher.close();
  return {
    joinSeconds,
    refused,
    maxStallMs: Math.max(joinStall.maxMs, leaveStall.maxMs),
    joinStallMs: joinStall.maxMs,
    leaveStallMs: leaveStall.maxMs,
    ackAfterLeaveMs: Math.max(...latency),
  };
}

async function flood() {
  const session = await newSession('flood');
  const quiet = await actionLatency(session.teacher, SAMPLES);
  const first = await connect();
  const joined = await emit<Joined>(first, 'session:join', {
    protocolVersion: protocol.PROTOCOL_VERSION,
    joinCode: session.joinCode,
    name: 'flooder',
  });
  const resume = { participantId: joined.value?.participantId, resumeSecret: joined.value?.resumeSecret };
  const sockets = [first];
  for (let i = 1; i < FLOOD_SOCKETS; i++) {
    const socket = await connect();
    await emit(socket, 'session:join', {
      protocolVersion: protocol.PROTOCOL_VERSION,
      joinCode: session.joinCode,
      ...resume,
    });
    sockets.push(socket);
  }
  let sent = 0;
  const backends = ['wasm', 'webgl'];
  const timers = sockets.map((socket) =>
    setInterval(() => {
      // Presence, as each protocol version carries it, and a name the server does not know.
      socket.emit('session:act', { type: 'presence.set', backend: backends[sent % 2] }, () => undefined);
      socket.emit('session:presence', { backend: backends[sent % 2] }, () => undefined);
      socket.emit('no-such-event', { junk: sent });
      sent += 3;
    }, FLOOD_INTERVAL_MS),
  );
  const stopAt = Date.now() + FLOOD_SECONDS * 1000;
  const flooded: number[] = [];
  while (Date.now() < stopAt) {
    const [latency] = await actionLatency(session.teacher, 1);
    flooded.push(latency);
    if (latency >= ACK_GIVE_UP_MS) break;
  }
  for (const timer of timers) clearInterval(timer);
  for (const socket of sockets) socket.close();
  const events = await withTimeout(
    postJson<{ sessions: { events: number }[] }>('/api/sessions/listings', {
      sessions: [{ joinCode: session.joinCode, instructorKey: session.instructorKey }],
    }),
  ).catch(() => ({ body: { sessions: [] as { events: number }[] } }));
  session.teacher.close();
  return {
    quiet,
    flooded,
    sentPerSecond: sent / FLOOD_SECONDS,
    loggedEvents: events.body.sessions?.[0]?.events ?? Number.NaN,
  };
}

async function importAndList() {
  const session = await newSession('import source');
  session.teacher.close();
  const res = await fetch(`${base}/api/sessions/${session.joinCode}/export`, {
    headers: { authorization: `Bearer ${session.instructorKey}` },
  });
  const file = (await res.json()) as {
    events: { seq: number; at: string; actor: string | null; body: unknown }[];
  };
  const actor = file.events.find((e) => e.actor)?.actor ?? null;
  const start = Date.parse(file.events.at(-1)!.at);
  while (file.events.length < IMPORT_EVENTS) {
    const seq = file.events.length + 1;
    file.events.push({
      seq,
      at: new Date(start + seq * 1000).toISOString(),
      actor,
      body: { type: 'view.set', view: VIEWS[seq % VIEWS.length] },
    });
  }
  const text = JSON.stringify(file);
  await resetStall();
  const t0 = performance.now();
  const imported = await postJson<{ joinCode: string; instructorKey: string; error?: { message: string } }>(
    '/api/sessions/import',
    text,
  );
  const importSeconds = (performance.now() - t0) / 1000;
  const importStall = await stall();
  if (imported.status !== 201)
    throw new Error(`import refused: ${imported.status} ${imported.body.error?.message}`);
  await resetStall();
  const t1 = performance.now();
  await postJson('/api/sessions/listings', {
    sessions: [{ joinCode: imported.body.joinCode, instructorKey: imported.body.instructorKey }],
  });
  const listSeconds = (performance.now() - t1) / 1000;
  const listStall = await stall();
  return {
    events: IMPORT_EVENTS,
    mib: Buffer.byteLength(text) / 2 ** 20,
    importSeconds,
    importStallMs: importStall.maxMs,
    listSeconds,
    listStallMs: listStall.maxMs,
  };
}

const many = await manySockets();
console.log(
  `${SOCKETS} sockets joining one session: ${many.joinSeconds.toFixed(1)} s (${many.refused} refused or not answered), longest event-loop stall ${ms(many.maxStallMs)} (joining ${ms(many.joinStallMs)}, leaving ${ms(many.leaveStallMs)}); instructor ack after they left: ${ms(many.ackAfterLeaveMs)}`,
);
const flooded = await flood();
console.log(
  `instructor action latency, quiet: p50 ${ms(percentile(flooded.quiet, 50))}, p99 ${ms(percentile(flooded.quiet, 99))}; while one student floods on ${FLOOD_SOCKETS} sockets (${flooded.sentPerSecond.toFixed(0)} messages/s): p50 ${ms(percentile(flooded.flooded, 50))}, p99 ${ms(percentile(flooded.flooded, 99))}; events logged in the session: ${flooded.loggedEvents}`,
);
const imported = await importAndList();
console.log(
  `import of ${imported.events} events (${imported.mib.toFixed(1)} MiB): ${imported.importSeconds.toFixed(1)} s, longest stall ${ms(imported.importStallMs)}; listing it: ${imported.listSeconds.toFixed(2)} s, longest stall ${ms(imported.listStallMs)}`,
);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`,
);
child.send({ type: 'stop' });
process.exit(0);
