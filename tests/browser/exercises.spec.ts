import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { NEAR_CREDIT, nearMisses } from '@/lib/exercises/scoring';
import { createSession, instructorSeat, type Seat, studentSeat } from './support/classroom';
import { overflowProblems } from './support/overflow';

/** Serious or critical axe violations inside the exercise's parts of a page. */
async function exerciseA11yProblems(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).include('[data-testid="exercise-panel"]').analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const TOP_N = 5;
/** The exercise's own grid on the digits CNN: 7×7 (patch 4, stride 4), not the live view's 6×6. */
const COLS = 7;
const CELLS = COLS * COLS;

/** What the docs promise: (hits + ½ · near misses) / N, at most 1. */
function expectedScore(painted: number[], top: Set<number>): number {
  const hits = painted.filter((c) => top.has(c)).length;
  const near = nearMisses(painted, [...top], COLS);
  return Math.min(1, (Math.min(hits, TOP_N) + NEAR_CREDIT * near) / TOP_N);
}

function cell(page: Page, index: number) {
  return page.getByTestId('paint-cell').and(page.locator(`[data-cell="${index}"]`));
}

/** Drags across cells with the mouse: one stroke, so every cell passed over is painted. */
async function drag(page: Page, from: number, to: number) {
  const start = await cell(page, from).boundingBox();
  const end = await cell(page, to).boundingBox();
  if (!start || !end) throw new Error('cells are not on screen');
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 8 });
  await page.mouse.up();
}

test.describe('exercises: students predict, then the reveal', () => {
  test('three students answer differently; each sees their own score and everyone the same reveal', async ({
    browser,
    request,
  }) => {
    const session = await createSession(request, 'Where does it hurt?');
    const teacher = await instructorSeat(browser, session);
    const names = ['Ada', 'Ben', 'Cy'];
    const students: Seat[] = [];
    for (const name of names) students.push(await studentSeat(browser, session, name));
    await expect(teacher.page.getByTestId('participant')).toHaveCount(4);
    await expect(teacher.page.getByTestId('prediction')).toContainText('the model says');

    // The exercise poses its own grid: the live view's 6×6 is offered, marked as seen, but not first.
    await expect(teacher.page.getByTestId('exercise-grid')).toHaveValue('4/4');
    await expect(teacher.page.getByTestId('exercise-grid').locator('option', { hasText: 'seen' })).toHaveText(
      /6×6 cells/,
    );
    await teacher.page.getByTestId('exercise-start').click();
    for (const seat of [teacher, ...students]) {
      await expect(seat.page.getByTestId('exercise-panel')).toHaveAttribute('data-phase', 'open');
      // The views (and their heatmap) are gone while the class answers.
      await expect(seat.page.getByTestId('occlusion-heatmap')).toHaveCount(0);
    }
    await expect(teacher.page.getByTestId('paint-cell')).toHaveCount(CELLS);

    // Ada clicks four cells in the middle, Ben drags across the top row, Cy paints one cell twice (on, off) and two others.
    const [ada, ben, cy] = students.map((s) => s.page);
    for (const c of [16, 17, 23, 24]) await cell(ada, c).click();
    await drag(ben, 0, 2);
    await cell(cy, 48).click();
    await cell(cy, 48).click();
    for (const c of [9, 33]) await cell(cy, c).click();
    const painted = { Ada: [16, 17, 23, 24], Ben: [0, 1, 2], Cy: [9, 33] };
    for (const [page, name] of [
      [ada, 'Ada'],
      [ben, 'Ben'],
      [cy, 'Cy'],
    ] as const) {
      await expect(page.getByTestId('paint-grid')).toHaveAttribute('data-painted', painted[name].join(','));
      await page.getByTestId('exercise-submit').click();
      await expect(page.getByTestId('exercise-saved')).toHaveText(`Saved: ${painted[name].length} cells.`);
    }

    // The instructor sees how many have answered, not what.
    await expect(teacher.page.getByTestId('exercise-answered')).toHaveAttribute('data-count', '3');
    await expect(teacher.page.getByTestId('paint-grid')).toHaveAttribute('data-painted', '');

    // Ben changes his mind before the reveal.
    await cell(ben, 2).click();
    await cell(ben, 3).click();
    await ben.getByTestId('exercise-submit').click();
    await expect(ben.getByTestId('exercise-saved')).toHaveText('Saved: 3 cells.');
    painted.Ben = [0, 1, 3];

    await teacher.page.getByTestId('exercise-reveal').click();
    for (const seat of [teacher, ...students]) {
      await expect(seat.page.getByTestId('exercise-panel')).toHaveAttribute('data-phase', 'revealed');
    }

    // Everyone sees the same truth and the same class map.
    const truth = teacher.page.getByTestId('exercise-truth');
    await expect(truth).toHaveAttribute('data-top-cells', /^\d+(,\d+)*$/);
    const topCells = (await truth.getAttribute('data-top-cells'))!;
    const counts = await teacher.page.getByTestId('exercise-class-map').getAttribute('data-counts');
    const expectedCounts = new Array<number>(CELLS).fill(0);
    for (const cells of Object.values(painted)) for (const c of cells) expectedCounts[c]++;
    expect(counts).toBe(expectedCounts.join(','));
    for (const seat of students) {
      await expect(seat.page.getByTestId('exercise-truth')).toHaveAttribute('data-top-cells', topCells);
      await expect(seat.page.getByTestId('exercise-class-map')).toHaveAttribute('data-counts', counts ?? '');
    }

    // Each student's own score, near misses at half credit.
    const top = new Set(topCells.split(',').map(Number));
    const scores: Record<string, number> = {};
    for (const [i, name] of names.entries()) {
      scores[name] = expectedScore(painted[name as keyof typeof painted], top);
      await expect(students[i].page.getByTestId('exercise-score')).toHaveAttribute(
        'data-score',
        scores[name].toFixed(4),
      );
    }
    await expect(teacher.page.getByTestId('exercise-score')).toHaveCount(0);

    // The leaderboard appears for everyone only when the instructor shows it, without zero scores.
    await expect(ada.getByTestId('leaderboard')).toHaveCount(0);
    await teacher.page.getByTestId('leaderboard-toggle').click();
    const listed = Object.values(scores).filter((score) => score > 0).length;
    for (const seat of [teacher, ...students]) {
      await expect(seat.page.getByTestId('leaderboard-row')).toHaveCount(listed);
    }
    const best = Math.max(...Object.values(scores));
    if (best > 0) {
      await expect(ada.getByTestId('leaderboard-row').first()).toContainText(
        `${Math.round(best * 1000) / 10}%`,
      );
    }
    await teacher.page.getByTestId('leaderboard-toggle').click();
    await expect(cy.getByTestId('leaderboard')).toHaveCount(0);

    // A reload shows the same reveal: it is in the log.
    await ben.reload();
    await expect(ben.getByTestId('exercise-score')).toHaveAttribute('data-score', scores.Ben.toFixed(4));

    // The instructor's export has one row per student.
    const csv = await request.get(`/api/sessions/${session.joinCode}/exercises.csv`, {
      headers: { authorization: `Bearer ${session.instructorKey}` },
    });
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(',Ada,scored,r3c3 r3c4 r4c3 r4c4,');
    expect((await request.get(`/api/sessions/${session.joinCode}/exercises.csv`)).status()).toBe(401);
    const download = teacher.page.waitForEvent('download');
    await teacher.page.getByTestId('exercise-csv').click();
    const file = await (await download).path();
    expect((await readFile(file, 'utf8')).trim().split('\r\n')).toEqual(lines);

    await teacher.page.getByRole('button', { name: 'Back to the views' }).click();
    for (const seat of [teacher, ...students]) {
      await expect(seat.page.getByTestId('exercise-panel')).toHaveCount(0);
      await expect(seat.page.getByTestId('current-view')).toBeVisible();
    }

    for (const seat of [teacher, ...students]) await seat.context.close();
  });

  test('probe kind: students guess the probability with the patch; scored by the absolute error', async ({
    browser,
    request,
  }) => {
    const session = await createSession(request, 'Guess the probability');
    const teacher = await instructorSeat(browser, session);
    const students: Seat[] = [];
    for (const name of ['Ada', 'Ben', 'Cy']) students.push(await studentSeat(browser, session, name));
    await expect(teacher.page.getByTestId('prediction')).toContainText('the model says');

    // The instructor tries the patch in the occlusion view, then asks about another spot.
    await teacher.page.getByRole('tab', { name: 'Occlusion' }).click();
    const heatmap = teacher.page.getByTestId('occlusion-heatmap');
    await heatmap.focus();
    await teacher.page.keyboard.press('ArrowRight');
    await expect(teacher.page.getByTestId('occlusion-readout')).toContainText('with the patch here');
    await teacher.page.getByLabel('the probability with the patch').check();
    // The exercise's patch is placed in the starter, on the instructor's screen only, away from the live one
    // (whose probability the followers saw).
    const placer = teacher.page.getByTestId('exercise-probe-placer');
    await expect(placer).toHaveAttribute('data-y', '10');
    await placer.focus();
    await teacher.page.keyboard.press('ArrowDown');
    await expect(placer).toHaveAttribute('data-y', '11');
    await teacher.page.getByTestId('exercise-start').click();
    await expect(students[0].page.getByRole('img', { name: /patch at y 11, x 10/ })).toBeVisible();

    const guesses = [10, 50, 90];
    for (const [i, seat] of students.entries()) {
      await expect(seat.page.getByTestId('exercise-panel')).toHaveAttribute('data-kind', 'probe');
      await seat.page.getByTestId('probe-guess').fill(String(guesses[i]));
      await seat.page.getByTestId('exercise-submit').click();
      await expect(seat.page.getByTestId('exercise-saved')).toHaveText(`Saved: ${guesses[i]}%.`);
    }
    await expect(teacher.page.getByTestId('exercise-answered')).toHaveAttribute('data-count', '3');
    await teacher.page.getByTestId('exercise-reveal').click();

    const truth = teacher.page.getByTestId('exercise-truth');
    await expect(truth).toHaveAttribute('data-prob', /\d/);
    const prob = Number(await truth.getAttribute('data-prob'));
    for (const [i, seat] of students.entries()) {
      await expect(seat.page.getByTestId('exercise-truth')).toHaveAttribute('data-prob', String(prob));
      const score = 1 - Math.min(100, Math.abs(guesses[i] - prob * 100)) / 100;
      await expect(seat.page.getByTestId('exercise-score')).toHaveAttribute('data-score', score.toFixed(4));
    }

    for (const seat of [teacher, ...students]) await seat.context.close();
  });
});

const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

for (const viewport of VIEWPORTS) {
  test.describe(`exercise answers stay hidden at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('students who followed the occlusion view see no map from the start until the reveal', async ({
      browser,
      request,
    }, testInfo) => {
      const session = await createSession(request, 'Hidden until the reveal');
      const teacher = await instructorSeat(browser, session, { viewport });
      const follower = await studentSeat(browser, session, 'Ada', { viewport });
      // A phone-sized student: the starter warns when a grid's cells would be too small for them.
      const phone = await studentSeat(browser, session, 'Ben', { viewport: { width: 360, height: 740 } });
      const shot = async (seat: Seat, name: string) => {
        const file = testInfo.outputPath(`${name}-${viewport.width}x${viewport.height}.png`);
        await seat.page.screenshot({ path: file, fullPage: true });
        await testInfo.attach(name, { path: file, contentType: 'image/png' });
      };

      // Everyone follows the live occlusion view and has its map.
      await teacher.page.getByRole('tab', { name: 'Occlusion' }).click();
      for (const seat of [teacher, follower]) {
        await expect(seat.page.getByTestId('occlusion-heatmap')).toHaveAttribute('data-checksum', /.+/);
      }

      // A 14×14 grid would have cells of about 21 px on the phone: the starter says so.
      const grid = teacher.page.getByTestId('exercise-grid');
      await grid.selectOption('2/2');
      await expect(teacher.page.getByTestId('exercise-cell-size')).toHaveAttribute(
        'data-warning',
        'small-cells',
      );
      await expect(teacher.page.getByTestId('exercise-cell-size')).toContainText('for 1 student');
      await grid.selectOption('4/4');
      await expect(teacher.page.getByTestId('exercise-cell-size')).not.toHaveAttribute('data-warning', /.*/);
      await shot(teacher, 'exercise-starter');

      await teacher.page.getByTestId('exercise-start').click();
      for (const seat of [follower, phone]) {
        await expect(seat.page.getByTestId('exercise-panel')).toHaveAttribute('data-phase', 'open');
        await expect(seat.page.getByTestId('occlusion-heatmap')).toHaveCount(0);
        await expect(seat.page.getByTestId('current-view')).toHaveCount(0);
        await expect(seat.page.getByTestId('exercise-truth')).toHaveCount(0);
      }
      await expect(follower.page.getByTestId('paint-cell')).toHaveCount(CELLS);
      await shot(follower, 'exercise-open-student');
      for (const seat of [follower, phone]) {
        expect(await overflowProblems(seat.page.getByTestId('exercise-panel'))).toEqual([]);
        expect(await exerciseA11yProblems(seat.page)).toEqual([]);
      }

      for (const c of [16, 17, 23]) await cell(follower.page, c).click();
      await follower.page.getByTestId('exercise-submit').click();
      await expect(follower.page.getByTestId('exercise-saved')).toHaveText('Saved: 3 cells.');
      await expect(teacher.page.getByTestId('exercise-answered')).toHaveAttribute('data-count', '1');
      // Still nothing of the answer anywhere a student looks.
      await expect(follower.page.getByTestId('exercise-truth')).toHaveCount(0);
      await expect(phone.page.getByTestId('exercise-truth')).toHaveCount(0);

      await teacher.page.getByTestId('exercise-reveal').click();
      const truth = follower.page.getByTestId('exercise-truth');
      await expect(truth).toHaveAttribute('data-top-cells', /^\d+(,\d+)*$/);
      const top = new Set((await truth.getAttribute('data-top-cells'))!.split(',').map(Number));
      await expect(follower.page.getByTestId('exercise-score')).toHaveAttribute(
        'data-score',
        expectedScore([16, 17, 23], top).toFixed(4),
      );
      await expect(phone.page.getByTestId('exercise-score')).toHaveText('You did not answer this one.');
      await teacher.page.getByTestId('leaderboard-toggle').click();
      await expect(follower.page.getByTestId('leaderboard')).toBeVisible();
      await shot(follower, 'exercise-revealed-student');
      await shot(phone, 'exercise-revealed-phone');
      await expect(phone.page.getByTestId('leaderboard')).toBeVisible();
      for (const seat of [follower, phone, teacher]) {
        expect(await overflowProblems(seat.page.getByTestId('exercise-panel'))).toEqual([]);
        expect(await exerciseA11yProblems(seat.page)).toEqual([]);
      }

      for (const seat of [teacher, follower, phone]) await seat.context.close();
    });
  });
}
