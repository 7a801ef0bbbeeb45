// npm run bench:sync — one instructor and N students on loopback: how long an
// instructor's change takes to reach each student through ConvLens (validated,
// stored, then broadcast), against a bare Socket.io broadcast. Bounded: a fixed
// number of clients and events, every wait has a timeout.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { CreateSessionResult } from '../lib/protocol/http';
import { PROTOCOL_VERSION } from '../lib/protocol/version';

const SIZES = (process.argv.find((a) => a.startsWith('--clients='))?.slice(10) ?? '100,300,1000')
  .split(',')
  .map(Number);
const EVENTS = 30;
const SPACING_MS = 60;
const JOIN_BATCH = 50;
const TIMEOUT_MS = 60_000;

interface Usage {
  cpu: NodeJS.CpuUsage;
  rss: number;
}

const child = fork(join(import.meta.dirname, 'sync-server.ts'), {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, LOG_LEVEL: 'silent' },
});
const ports = await new Promise<{ convlens: number; raw: number }>((resolve) =>
  child.on(
    'message',
    (m: { type: string; convlens: number; raw: number }) => m.type === 'ready' && resolve(m),
  ),
);
function usage(): Promise<Usage> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string } & Usage) => {
      if (m.type !== 'usage') return;
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    child.send({ type: 'usage' });
  });
}

function connect(port: number): Promise<Socket> {
  const socket = io(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return withTimeout(
    new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    }),
  );
}

function withTimeout<T>(promise: Promise<T>, ms = TIMEOUT_MS): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms)),
  ]);
}

function emit<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return withTimeout(new Promise((resolve) => socket.emit(event, payload, resolve)));
}

async function inBatches<T>(count: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += JOIN_BATCH) {
    out.push(
      ...(await Promise.all(Array.from({ length: Math.min(JOIN_BATCH, count - i) }, (_, j) => make(i + j)))),
    );
  }
  return out;
}

interface Run {
  latencies: number[];
  cpuMs: number;
  seconds: number;
  rssMb: number;
}

/** Sends EVENTS changes; `receive` registers a listener that reports (eventId, time) per student. */
async function measure(
  students: Socket[],
  listen: (socket: Socket, onReceive: (id: number) => void) => void,
  send: (id: number) => Promise<void>,
): Promise<Run> {
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let remaining = EVENTS * students.length;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  for (const s of students) {
    listen(s, (id) => {
      const t0 = sentAt.get(id);
      if (t0 === undefined) return;
      latencies.push(performance.now() - t0);
      if (--remaining === 0) finish();
    });
  }
  const before = await usage();
  const started = performance.now();
  for (let id = 1; id <= EVENTS; id++) {
    sentAt.set(id, performance.now());
    await send(id);
    await new Promise((r) => setTimeout(r, SPACING_MS));
  }
  await withTimeout(done);
  const seconds = (performance.now() - started) / 1000;
  const after = await usage();
  const cpuMs = (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1000;
  return { latencies, cpuMs, seconds, rssMb: after.rss / 2 ** 20 };
}

async function convlensRun(n: number): Promise<Run> {
  const base = `http://127.0.0.1:${ports.convlens}`;
  const res = await fetch(`${base}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: `bench ${n}` }),
  });
  const session = (await res.json()) as CreateSessionResult;
  const teacher = await connect(ports.convlens);
  await emit(teacher, 'session:join', {
    protocolVersion: PROTOCOL_VERSION,
    joinCode: session.joinCode,
    instructorKey: session.instructorKey,
  });
  const students = await inBatches(n, async (i) => {
    const s = await connect(ports.convlens);
    await emit(s, 'session:join', {
      protocolVersion: PROTOCOL_VERSION,
      joinCode: session.joinCode,
      name: `student ${i}`,
    });
    return s;
  });
  // The k-th change sets channels [k]; students recognise it by that payload.
  const run = await measure(
    students,
    (s, onReceive) =>
      s.on('session:event', (e: { body: { type: string; channels?: number[] } }) => {
        if (e.body.type === 'channels.set') onReceive(e.body.channels![0]);
      }),
    async (id) => {
      const ack = await emit<{ ok: boolean }>(teacher, 'session:act', {
        type: 'channels.set',
        channels: [id],
      });
      if (!ack.ok) throw new Error('the instructor was refused');
    },
  );
  for (const s of [teacher, ...students]) s.close();
  return run;
}

async function rawRun(n: number): Promise<Run> {
  const teacher = await connect(ports.raw);
  const students = await inBatches(n, () => connect(ports.raw));
  await new Promise((r) => setTimeout(r, 200));
  const run = await measure(
    students,
    (s, onReceive) => s.on('broadcast', (p: { id: number }) => onReceive(p.id)),
    async (id) => {
      teacher.emit('broadcast', { type: 'channels.set', channels: [id], id });
    },
  );
  for (const s of [teacher, ...students]) s.close();
  return run;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const rows: string[] = [];
const header =
  '| students | server | p50 ms | p99 ms | server CPU % | server RSS MB | p50 ratio | p99 ratio |';
console.log(header);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const n of SIZES) {
  const raw = await rawRun(n);
  const ours = await convlensRun(n);
  for (const [name, run] of [
    ['Socket.io broadcast (baseline)', raw],
    ['ConvLens', ours],
  ] as const) {
    const cpu = (run.cpuMs / (run.seconds * 1000)) * 100;
    const ratio = (p: number) => (percentile(run.latencies, p) / percentile(raw.latencies, p)).toFixed(2);
    const row = `| ${n} | ${name} | ${percentile(run.latencies, 50).toFixed(1)} | ${percentile(run.latencies, 99).toFixed(1)} | ${cpu.toFixed(0)} | ${run.rssMb.toFixed(0)} | ${ratio(50)} | ${ratio(99)} |`;
    console.log(row);
    rows.push(row);
  }
}
child.send({ type: 'stop' });

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version} (load average ${loadavg()[0].toFixed(1)} at the end of the run)`;
writeFileSync(
  join(import.meta.dirname, '../docs/benchmarks-sync.md'),
  `# Live sync benchmark

Command: \`npm run bench:sync\` (bench/sync.ts), ${new Date().toISOString().slice(0, 10)}, on ${machine}.

One instructor and N students, all Socket.io clients in one process on loopback; the server (ConvLens with
its SQLite log, server compute off) runs in a child process so its CPU and memory are its own. The
instructor sends ${EVENTS} changes ${SPACING_MS} ms apart; latency is from the instructor's emit to each
student's receipt (${EVENTS} × N samples). ConvLens validates each action, checks the role, stores the
event in SQLite, then broadcasts; the baseline re-broadcasts the raw message with nothing else. Ratios are
ConvLens over baseline. The clients share the two cores with the server, so absolute numbers include
their own decoding work.

${header}
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`,
);
process.exit(0);
