import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeResult } from '@/lib/compute/codec';
import type { ProbeResult } from '@/lib/compute/types';
import { truthRequest } from '@/lib/exercises/requests';
import { scoreOcclusionAnswer, scoreProbeAnswer, topCells } from '@/lib/exercises/scoring';
import type { OcclusionTask, ProbeTask } from '@/lib/protocol/exercise';
import type { CreateSessionResult } from '@/lib/protocol/http';
import { fold } from '@/lib/session/reducer';
import type { OcclusionMap } from '@/lib/viz';
import { SessionStore } from '@/server/session/store';
import { occlusionTask as defaultOcclusionTask } from '../helpers/exercise-tasks';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

const IMAGE = 'mnist/001-7.png';
/** The built-in digits CNN (28×28) with the session's default occlusion: patch 8, stride 4, a 6×6 grid. */
const occlusionTask = defaultOcclusionTask({ imageId: IMAGE });
const probeTask: ProbeTask = {
  kind: 'probe',
  modelId: 'mnist-cnn',
  imageId: IMAGE,
  patch: 8,
  fill: 'grey',
  classIndex: null,
  y: 8,
  x: 12,
};

describe.each(['sqlite', 'postgres'] as const)('exercises over real sockets on %s', (kind) => {
  let server: TestServer;
  const open: TestParticipant[] = [];

  beforeAll(async () => {
    server = await startServer(kind);
  });
  afterAll(async () => {
    for (const p of open) p.close();
    await server.stop();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function join(request: Record<string, unknown>): Promise<TestParticipant> {
    const p = await TestParticipant.join(server.url, request);
    open.push(p);
    return p;
  }

  async function classroom(names: string[]) {
    const session = await createSession(server.url, 'Exercises');
    const teacher = await join({ joinCode: session.joinCode, instructorKey: session.instructorKey });
    const students: TestParticipant[] = [];
    for (const name of names) students.push(await join({ joinCode: session.joinCode, name }));
    return { session, teacher, students };
  }

  async function start(teacher: TestParticipant, task: OcclusionTask | ProbeTask, seconds = 120) {
    const ack = await teacher.act({ type: 'exercise.start', task, prompt: 'Where does it hurt?', seconds });
    if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
    return ack.value.seq;
  }

  async function everyoneAt(participants: TestParticipant[], seq: number) {
    return Promise.all(participants.map((p) => p.until(seq)));
  }

  it('refuses students who try to start or reveal, and tasks that do not fit the model', async () => {
    const { teacher, students } = await classroom(['Eve']);
    const [eve] = students;
    expect(
      await eve.act({ type: 'exercise.start', task: occlusionTask, prompt: 'Mine', seconds: 60 }),
    ).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'only the instructor may send exercise.start' },
    });
    const wrongGrid = await teacher.act({
      type: 'exercise.start',
      task: { ...occlusionTask, rows: 7 },
      prompt: 'Where?',
      seconds: 60,
    });
    expect(wrongGrid).toMatchObject({ ok: false, error: { code: 'bad-request', message: /6×6 grid/ } });
    const tooFine = await teacher.act({
      type: 'exercise.start',
      task: { ...occlusionTask, patch: 2, stride: 1, rows: 27, cols: 27 },
      prompt: 'Where?',
      seconds: 60,
    });
    expect(tooFine).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: /too fine to paint/ },
    });
    const noImage = await teacher.act({
      type: 'exercise.start',
      task: { ...occlusionTask, imageId: 'mnist/nope.png' },
      prompt: 'Where?',
      seconds: 60,
    });
    expect(noImage).toMatchObject({ ok: false, error: { code: 'bad-request' } });

    const id = await start(teacher, occlusionTask);
    expect(await eve.act({ type: 'exercise.reveal', exercise: id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await teacher.act({ type: 'exercise.start', task: occlusionTask, prompt: 'Again', seconds: 60 }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden', message: /reveal the current exercise/ } });
    // The instructor does not answer their own exercise.
    expect(
      await teacher.act({ type: 'exercise.answer', exercise: id, answer: { kind: 'occlusion', cells: [1] } }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'only students answer' } });
    expect(
      await eve.act({
        type: 'exercise.answer',
        exercise: id,
        answer: { kind: 'occlusion', cells: [1, 2, 3, 4, 5, 6] },
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'paint at most 5 cells' } });
  });

  it('keeps answers private until the reveal, counts them live, then scores them for everyone', async () => {
    const { session, teacher, students } = await classroom(['Ada', 'Ben', 'Cy']);
    const [ada, ben, cy] = students;
    const id = await start(teacher, occlusionTask);

    const answers = { ada: [14, 15, 20, 21, 8], ben: [0, 1, 2], cy: [] as number[] };
    const seqs: number[] = [];
    const sent: [TestParticipant, number[]][] = [
      [ada, [0, 5]],
      [ben, answers.ben],
      [ada, answers.ada],
      [cy, answers.cy],
    ];
    for (const [student, cells] of sent) {
      const ack = await student.act({
        type: 'exercise.answer',
        exercise: id,
        answer: { kind: 'occlusion', cells },
      });
      expect(ack.ok).toBe(true);
      if (ack.ok) seqs.push(ack.value.seq);
    }
    const last = seqs.at(-1)!;
    await everyoneAt([teacher, ...students], last);

    // Everyone folds the same seqs; only the author receives an answer whole.
    for (const viewer of [teacher, ...students]) {
      const answerEvents = viewer.received.filter((e) => e.body.type === 'exercise.answer');
      expect(answerEvents.every((e) => e.actor === viewer.participantId)).toBe(true);
      const exercise = viewer.state!.exercises[0];
      expect(exercise.answered).toEqual([ada.participantId, ben.participantId, cy.participantId]);
      expect(Object.keys(exercise.answers)).toEqual(viewer === teacher ? [] : [viewer.participantId]);
    }
    expect(ada.state!.exercises[0].answers[ada.participantId]).toEqual({
      kind: 'occlusion',
      cells: answers.ada,
    });

    // A late joiner and a reconnecting student get redacted snapshots and resumes too.
    const late = await join({ joinCode: session.joinCode, name: 'Dee' });
    expect(Object.keys(late.state!.exercises[0].answers)).toEqual([]);
    // Resuming from seq 0 sends the whole log as events: Ben's own answer whole, the others redacted.
    const resumed = await join({
      joinCode: session.joinCode,
      participantId: ben.participantId,
      resumeSecret: ben.resumeSecret,
      lastSeq: 0,
    });
    expect(resumed.participantId).toBe(ben.participantId);
    expect(Object.keys(resumed.state!.exercises[0].answers)).toEqual([ben.participantId]);

    // The stored log and the tables have every answer: a replay folds them.
    const store = new SessionStore(server.app.db);
    const replayed = fold(await store.events(session.sessionId));
    expect(replayed.exercises[0].answers[ben.participantId]).toEqual({
      kind: 'occlusion',
      cells: answers.ben,
    });
    const predictions = await server.app.db.prediction.findMany({ orderBy: { participantId: 'asc' } });
    const mine = predictions.filter((p) => p.exerciseId === `${session.sessionId}-${id}`);
    expect(mine).toHaveLength(3);
    expect(mine.every((p) => p.score === null)).toBe(true);

    // No student gets the truth before the reveal: not the exact request, not the top class asked for by
    // index, not an approximate map of the same grid.
    const truth = truthRequest(occlusionTask);
    for (const asked of [truth, { ...truth, classIndex: 7 }, { ...truth, mode: 'adaptive' }]) {
      expect(await ada.request('compute:request', asked)).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: /answer to the open exercise/ },
      });
    }
    // Other grids of the same image are not the answer.
    expect(await ada.request('compute:request', { ...truth, stride: 5 })).toMatchObject({ ok: true });
    // Nor does the projector get it (the presenter view is on the wall); the instructor may.
    const projector = await join({ joinCode: session.joinCode, presenter: true });
    expect(await projector.request('compute:request', truth)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await teacher.request('compute:request', truth)).toMatchObject({ ok: true });

    const reveal = await teacher.act({ type: 'exercise.reveal', exercise: id });
    expect(reveal.ok).toBe(true);
    const revealedSeq = reveal.ok ? reveal.value.seq : -1;
    expect(await ada.request('compute:request', truth)).toMatchObject({
      ok: true,
      value: { status: 'done' },
    });
    const states = await everyoneAt([teacher, ...students, late], revealedSeq);
    // Closed first (no answer can slip in while the truth is computed), then revealed.
    expect(teacher.received.slice(-2).map((e) => e.body.type)).toEqual([
      'exercise.reveal',
      'exercise.revealed',
    ]);

    // The truth, computed here the same way, gives the same scores.
    const computed = await server.app.compute.request(truthRequest(occlusionTask));
    if (computed.status !== 'done') throw new Error(computed.reason);
    const map = decodeResult<OcclusionMap>(computed.result);
    const top = topCells(map.drop, occlusionTask.topN);
    const expected = (cells: number[]) =>
      scoreOcclusionAnswer(cells, map.drop, top, occlusionTask.topN, occlusionTask.cols);
    for (const state of states) {
      const exercise = state.exercises[0];
      expect(exercise.phase).toBe('revealed');
      expect(exercise.truth).toEqual({
        kind: 'occlusion',
        classIndex: map.classIndex,
        baseProb: map.baseProb,
        topCells: top.cells,
        threshold: top.threshold,
      });
      expect(exercise.results.map((r) => [r.participantId, r.score])).toEqual([
        [ada.participantId, expected(answers.ada)],
        [ben.participantId, expected(answers.ben)],
        [cy.participantId, expected(answers.cy)],
      ]);
      expect(Object.keys(exercise.answers)).toHaveLength(3);
      expect(state.exercises).toEqual(states[0].exercises);
    }
    expect(states[0].exercises[0].results[2].score).toMatchObject({ score: 0, hits: 0, rho: null });

    const row = await server.app.db.exercise.findUnique({ where: { id: `${session.sessionId}-${id}` } });
    expect(row).toMatchObject({ kind: 'occlusion', startedSeq: id });
    expect(row?.revealedAt).toBeInstanceOf(Date);
    const scored = await server.app.db.prediction.findMany({ where: { exerciseId: row!.id } });
    expect(scored.find((p) => p.participantId === ada.participantId)?.score).toBeCloseTo(
      expected(answers.ada).score,
      12,
    );

    expect(
      await ben.act({ type: 'exercise.answer', exercise: id, answer: { kind: 'occlusion', cells: [3] } }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden', message: /revealed/ } });
    expect(await teacher.act({ type: 'exercise.reveal', exercise: id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const shown = await teacher.act({ type: 'exercise.leaderboard', exercise: id, shown: true });
    expect(shown.ok).toBe(true);
    expect(await ada.act({ type: 'exercise.leaderboard', exercise: id, shown: false })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('refuses answers after the deadline by the server clock', async () => {
    const { teacher, students } = await classroom(['Fay']);
    const [fay] = students;
    const id = await start(teacher, probeTask, 30);
    expect(
      (await fay.act({ type: 'exercise.answer', exercise: id, answer: { kind: 'probe', percent: 40 } })).ok,
    ).toBe(true);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31_000);
    const late = await fay.act({
      type: 'exercise.answer',
      exercise: id,
      answer: { kind: 'probe', percent: 90 },
    });
    expect(late).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'time is up: answers are closed' },
    });
    vi.useRealTimers();

    // The probe guess is scored by its absolute error against the probed probability.
    const reveal = await teacher.act({ type: 'exercise.reveal', exercise: id });
    expect(reveal.ok).toBe(true);
    const state = await fay.until(reveal.ok ? reveal.value.seq : -1);
    const probed = await server.app.compute.request(truthRequest(probeTask));
    if (probed.status !== 'done') throw new Error(probed.reason);
    const { prob } = decodeResult<ProbeResult>(probed.result);
    expect(state.exercises[0].results).toEqual([
      {
        participantId: fay.participantId,
        answer: { kind: 'probe', percent: 40 },
        score: scoreProbeAnswer(40, prob),
      },
    ]);
  });

  it('exports results as CSV for the instructor key only', async () => {
    const session: CreateSessionResult = await createSession(server.url, 'CSV');
    const teacher = await join({ joinCode: session.joinCode, instructorKey: session.instructorKey });
    const quoted = await join({ joinCode: session.joinCode, name: 'Lee, "Al"' });
    const formula = await join({ joinCode: session.joinCode, name: '=1+1' });
    const id = await start(teacher, probeTask);
    await quoted.act({ type: 'exercise.answer', exercise: id, answer: { kind: 'probe', percent: 12.5 } });
    const url = `${server.url}/api/sessions/${session.joinCode}/exercises.csv`;

    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${'x'.repeat(32)}` } })).status).toBe(403);
    const auth = { headers: { authorization: `Bearer ${session.instructorKey}` } };

    // Before the reveal the export does not show answers either.
    const before = await (await fetch(url, auth)).text();
    expect(before).toContain('answered, not revealed');
    expect(before).not.toContain('12.5%');

    const reveal = await teacher.act({ type: 'exercise.reveal', exercise: id });
    expect(reveal.ok).toBe(true);
    const res = await fetch(url, auth);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe(
      'exercise,kind,prompt,started_at,student,status,answer,score,top_cells_hit,near_misses,rank_correlation,error_points',
    );
    expect(lines).toHaveLength(4); // header, two students, and the final CRLF
    expect(lines[1]).toMatch(/^1,probe,Where does it hurt\?,[^,]+,"Lee, ""Al""",scored,12\.5%,0\.\d+,,,,\d/);
    expect(lines[2]).toMatch(/^1,probe,Where does it hurt\?,[^,]+,'=1\+1,no answer,,,,,,$/);
    expect(lines[3]).toBe('');
    formula.close();
  });
});
