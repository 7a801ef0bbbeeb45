// npm run bench:load — 2 socket servers and 2 compute workers on Redis and PostgreSQL (loopback only),
// `sessions` × `students` sockets; each instructor changes the view every 2 s and asks for occlusion and
// top-image results. Halfway, one socket server and one worker are SIGKILLed. Bounded: it stops after
// `seconds` (default 60) and prints its figures; docs/benchmarks-load.md keeps them.
// Options: --sessions 20 --students 30 --seconds 60
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { ComputeAccepted, ComputeProgress, ComputeRequest } from '../lib/protocol/compute';
import { resultKey } from '../lib/protocol/compute';
import { createSession, TestParticipant } from '../tests/helpers/session-client';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '20' },
    students: { type: 'string', default: '30' },
    seconds: { type: 'string', default: '60' },
  },
});
const SESSIONS = Math.min(50, Number(values.sessions));
const STUDENTS = Math.min(60, Number(values.students));
const SECONDS = Math.min(600, Number(values.seconds));
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = join(import.meta.dirname, '..');
const prefix = `convlens-bench-${process.pid}`;
const dbName = `convlens_bench_${process.pid}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}
await admin(`CREATE DATABASE ${dbName}`);
const dbUrl = Object.assign(new URL(ADMIN), { pathname: `/${dbName}` }).toString();
const env = {
  ...process.env,
  REDIS_URL,
  DATABASE_URL: dbUrl,
  CONVLENS_QUEUE_PREFIX: prefix,
  LOG_LEVEL: 'info',
};

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(join(root, 'bench/load-server.ts'), {
    execArgv: ['--import', 'tsx'],
    env: { ...env, LOG_LEVEL: 'warn' },
  });
  return new Promise((resolve) =>
    child.on('message', (m: { type: string; port: number }) => {
      if (m.type === 'ready') resolve({ child, url: `http://127.0.0.1:${m.port}` });
    }),
  );
}
interface Worker {
  child: ChildProcess;
  computed: string[];
}
function startWorker(): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
    cwd: root,
    env: {
      ...env,
      CONVLENS_COMPUTE_WORKERS: '1',
      CONVLENS_QUEUE_LOCK_MS: '5000',
      CONVLENS_QUEUE_STALLED_MS: '2500',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const worker: Worker = { child, computed: [] };
  return new Promise((resolve) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (buffer + chunk.toString()).split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const entry = JSON.parse(line.startsWith('{') ? line : '{}') as { msg?: string; key?: string };
        if (entry.msg === 'compute worker ready') resolve(worker);
        if (entry.msg === 'computed' && entry.key) worker.computed.push(entry.key);
      }
    });
  });
}

/** CPU seconds and resident memory of a process, from /proc. */
function usage(pid: number): { cpu: number; rssMb: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpu: (Number(stat[11]) + Number(stat[12])) / 100, rssMb: rss / 1024 };
  } catch {
    return { cpu: Number.NaN, rssMb: Number.NaN };
  }
}
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : Number.NaN;
};

const servers = [await startServer(), await startServer()];
const workers = [await startWorker(), await startWorker()];
const started = Date.now();
const cpuAtStart = [...servers, ...workers].map((p) => usage(p.child.pid!).cpu);

interface Classroom {
  teacher: TestParticipant;
  students: { p: TestParticipant; server: number; joinCode: string }[];
  sentAt: Map<number, number>;
}
const fanOut: number[] = [];
const queueWait: number[] = [];
/** Every result asked for: answered, cancelled (the instructor moved on before it was ready), or lost. */
const asked = new Map<string, { answered: boolean; cancelled: boolean }>();
const rooms: Classroom[] = [];
for (let s = 0; s < SESSIONS; s++) {
  const session = await createSession(servers[s % 2].url, `load ${s}`);
  const teacher = await TestParticipant.join(servers[0].url, {
    joinCode: session.joinCode,
    instructorKey: session.instructorKey,
  });
  const room: Classroom = { teacher, students: [], sentAt: new Map() };
  await Promise.all(
    Array.from({ length: STUDENTS }, async (_, i) => {
      const server = i % 2;
      const p = await TestParticipant.join(servers[server].url, {
        joinCode: session.joinCode,
        name: `s${i}`,
      });
      p.socket.on('session:event', (e) => {
        const sent = room.sentAt.get(e.seq);
        if (sent) fanOut.push(Date.now() - sent);
      });
      room.students.push({ p, server, joinCode: session.joinCode });
    }),
  );
  const queuedAt = new Map<string, number>();
  teacher.socket.on('compute:progress', (p: ComputeProgress) => {
    if (p.state === 'queued' && !queuedAt.has(p.key)) queuedAt.set(p.key, Date.now());
    if (p.state === 'running' && queuedAt.has(p.key)) {
      queueWait.push(Date.now() - queuedAt.get(p.key)!);
      queuedAt.delete(p.key);
    }
  });
  await teacher.act({ type: 'model.set', modelId: 'mnist-cnn' });
  rooms.push(room);
}
console.log(
  `${SESSIONS} sessions × ${STUDENTS} students connected in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

const images = ['000-4', '001-7', '002-6', '003-0', '004-1'];
let tick = 0;
async function drive(room: Classroom, n: number, s: number): Promise<void> {
  const image = `mnist/${images[n % images.length]}.png`;
  const views = ['occlusion', 'top-activating'] as const;
  const act = async (action: Parameters<TestParticipant['act']>[0]) => {
    const before = Date.now();
    const r = await room.teacher.act(action);
    if (r.ok) room.sentAt.set(r.value.seq, before);
  };
  await act({ type: 'image.set', imageId: image });
  await act({ type: 'view.set', view: views[n % 2] });
  const requests: ComputeRequest[] = [
    {
      kind: 'occlusion',
      modelId: 'mnist-cnn',
      imageId: image,
      patch: 4,
      stride: 2,
      fill: 'grey',
      classIndex: n % 10,
    },
    {
      kind: 'top-activating',
      modelId: 'mnist-cnn',
      imageSetId: 'mnist',
      layer: 'conv1',
      channels: [n % 8],
      k: 8,
    },
  ];
  for (const request of requests) {
    const key = resultKey(request);
    const entry = asked.get(key) ?? { answered: false, cancelled: false };
    asked.set(key, entry);
    void room.teacher.request<ComputeAccepted>('compute:request', request).then((a) => {
      if (a.ok && a.value.status === 'done') {
        entry.answered = true;
      }
      if (!a.ok && a.error.code === 'cancelled') entry.cancelled = true;
    });
  }
}

const driveStart = Date.now();
const killAt = driveStart + (SECONDS * 1000) / 2;
let killed: { at: number; back: number[] } | null = null;
const deadline = Date.now() + SECONDS * 1000;
while (Date.now() < deadline) {
  const n = tick++;
  await Promise.all(rooms.map((room, s) => drive(room, n, s)));
  if (!killed && Date.now() >= killAt) {
    killed = { at: Date.now(), back: [] };
    servers[1].child.kill('SIGKILL');
    workers[1].child.kill('SIGKILL');
    const at = killed.at;
    // The affected students come back on the surviving server and resume from their last seq.
    for (const room of rooms)
      for (const s of room.students.filter((x) => x.server === 1)) {
        void TestParticipant.resume(servers[0].url, s.joinCode, s.p).then((p) => {
          killed?.back.push(Date.now() - at);
          s.p = p;
          s.server = 0;
          p.socket.on('session:event', (e) => {
            const sent = room.sentAt.get(e.seq);
            if (sent) fanOut.push(Date.now() - sent);
          });
        });
      }
  }
  await new Promise((r) => setTimeout(r, 2000));
}
// Let the last jobs finish (bounded).
const grace = Date.now() + 60_000;
while ([...asked.values()].some((a) => !a.answered && !a.cancelled) && Date.now() < grace)
  await new Promise((r) => setTimeout(r, 250));

const elapsedMin = (Date.now() - started) / 60_000;
let missed = 0;
for (const room of rooms) {
  const last = room.teacher.state?.seq ?? 0;
  for (const s of room.students) {
    await s.p.until(last, 10_000).catch(() => undefined);
    if ((s.p.state?.seq ?? 0) < last) missed += last - (s.p.state?.seq ?? 0);
  }
}
const computed = workers.flatMap((w) => w.computed);
const twice = computed.length - new Set(computed).size;
const lost = [...asked.values()].filter((a) => !a.answered && !a.cancelled).length;
const cancelled = [...asked.values()].filter((a) => a.cancelled && !a.answered).length;
const procs = [
  ['server A', servers[0].child],
  ['server B (killed)', servers[1].child],
  ['worker 1', workers[0].child],
  ['worker 2 (killed)', workers[1].child],
] as const;
const rows = procs.map(([name, child], i) => {
  const u = usage(child.pid!);
  return `| ${name} | ${Number.isNaN(u.cpu) ? '—' : ((u.cpu - cpuAtStart[i]) / (elapsedMin * 60)).toFixed(2)} | ${Number.isNaN(u.rssMb) ? '—' : u.rssMb.toFixed(0)} |`;
});
const figures = `Setup: ${SESSIONS} sessions × ${STUDENTS} students (${SESSIONS * STUDENTS} sockets), ${SECONDS} s, ${cpus().length} cores, load average at the end ${loadavg()[0].toFixed(1)}.

| measure | value |
| --- | ---: |
| event fan-out p50 / p99 (instructor's act → a student's socket, across servers) | ${pct(fanOut, 50)} / ${pct(fanOut, 99)} ms (${fanOut.length} deliveries) |
| compute queue wait p50 / p99 (queued → running) | ${pct(queueWait, 50)} / ${pct(queueWait, 99)} ms (${queueWait.length} jobs) |
| jobs computed per minute (both workers) | ${(computed.length / ((Date.now() - driveStart) / 60_000)).toFixed(1)} (${computed.length} jobs, ${asked.size} distinct results asked) |
| affected students back after the kill (p50 / max) | ${killed ? `${pct(killed.back, 50)} / ${Math.max(...killed.back)} ms (${killed.back.length} students)` : 'not reached'} |
| events missed after catch-up | ${missed} |
| jobs lost | ${lost} of ${asked.size} (${cancelled} cancelled: the instructor moved on first) |
| jobs computed twice | ${twice} |

| process | CPU (cores, mean over the whole run, connections included) | RSS (MB, at the end) |
| --- | ---: | ---: |
${rows.join('\n')}`;
console.log(figures);
writeFileSync(
  join(root, 'docs/benchmarks-load.md'),
  `# Load benchmark

\`npm run bench:load -- --sessions ${SESSIONS} --students ${STUDENTS} --seconds ${SECONDS}\`: 2 socket servers and 2 compute
workers (one thread each) on Redis and PostgreSQL, loopback only. Each instructor changes the image and the view every
2 s and asks for an occlusion map and a top-activating result. Halfway, server B and worker 2 are SIGKILLed; the
students on server B resume on server A from their last seq. Jobs are counted lost when never answered, and computed
twice when two workers logged the same key as computed.

${figures}
`,
);
for (const room of rooms) {
  room.teacher.close();
  for (const s of room.students) s.p.close();
}
for (const p of [...servers, ...workers]) p.child.kill('SIGKILL');
await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
process.exit(0);
