import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { ReplayShare } from '@/lib/protocol/replay';
import { BACKEND, createSession, instructorSeat, studentSeat } from './support/classroom';
import { overflowProblems } from './support/overflow';

test('a replay scrubs to a chosen moment and shows that view, results included; a share link opens it too', async ({
  browser,
  request,
}) => {
  const session = await createSession(request, 'Recorded lecture');
  const teacher = await instructorSeat(browser, session);
  const page = teacher.page;
  await expect(page.getByTestId('prediction')).toContainText('the model says');
  await page.getByRole('tab', { name: 'Filters' }).click();
  await expect(page.getByTestId('current-view')).toHaveAttribute('data-view', 'filters');
  await page.waitForTimeout(1200);
  await page.getByRole('tab', { name: 'Occlusion' }).click();
  await expect(page.getByTestId('occlusion-heatmap')).toHaveAttribute('data-checksum', /.+/);
  const liveChecksum = await page.getByTestId('occlusion-heatmap').getAttribute('data-checksum');

  await page.goto(`/replay/${session.joinCode}?backend=${BACKEND}`);
  await expect(page.getByRole('heading', { name: 'Replay: Recorded lecture' })).toBeVisible();
  await page.getByRole('button', { name: /^Jump to View: filters/ }).click();
  await expect(page.getByTestId('current-view')).toHaveAttribute('data-view', 'filters');
  await expect(page.getByRole('tab', { name: 'Filters' })).toHaveAttribute('aria-selected', 'true');

  await page.getByRole('button', { name: /^Jump to View: occlusion/ }).click();
  await expect(page.getByTestId('current-view')).toHaveAttribute('data-view', 'occlusion');
  await expect(page.getByTestId('occlusion-heatmap')).toHaveAttribute('data-checksum', liveChecksum ?? '');

  // Back to the very start: nothing had been shown yet but the receptive-field view.
  await page.getByLabel('Position in the recording').fill('0');
  await expect(page.getByTestId('replay-position')).toHaveAttribute('data-seq', '1');

  const share = (await (
    await request.post(`/api/sessions/${session.joinCode}/shares`, {
      headers: { authorization: `Bearer ${session.instructorKey}` },
    })
  ).json()) as ReplayShare;
  const student = await browser.newContext();
  const studentPage = await student.newPage();
  await studentPage.goto(`/replay/${session.joinCode}?share=${share.token}&backend=${BACKEND}`);
  await studentPage.getByRole('button', { name: /^Jump to View: occlusion/ }).click();
  await expect(studentPage.getByTestId('current-view')).toHaveAttribute('data-view', 'occlusion');
  await studentPage.goto(`/replay/${session.joinCode}`);
  await expect(studentPage.getByText('a replay needs the instructor key or a share link')).toBeVisible();

  await student.close();
  await teacher.context.close();
});

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
]) {
  test.describe(`a replay at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('shows an exercise as it happened: the question and count, then the reveal, scores and leaderboard', async ({
      browser,
      request,
    }, testInfo) => {
      const session = await createSession(request, 'Lesson with an exercise');
      const teacher = await instructorSeat(browser, session, { viewport });
      const student = await studentSeat(browser, session, 'Ada', { viewport });
      await teacher.page.getByRole('tab', { name: 'Occlusion' }).click();
      await teacher.page.getByTestId('exercise-start').click();
      await expect(student.page.getByTestId('exercise-panel')).toHaveAttribute('data-phase', 'open');
      await student.page.getByTestId('paint-cell').nth(24).click();
      await student.page.getByTestId('exercise-submit').click();
      await expect(teacher.page.getByTestId('exercise-answered')).toHaveAttribute('data-count', '1');
      await teacher.page.getByTestId('exercise-reveal').click();
      await expect(teacher.page.getByTestId('exercise-truth')).toHaveAttribute('data-top-cells', /\d/);
      const topCells = await teacher.page.getByTestId('exercise-truth').getAttribute('data-top-cells');
      await teacher.page.getByTestId('leaderboard-toggle').click();
      await expect(teacher.page.getByTestId('leaderboard')).toBeVisible();
      await teacher.page.getByRole('button', { name: 'Back to the views' }).click();
      await expect(teacher.page.getByTestId('current-view')).toBeVisible();
      await student.context.close();

      const page = teacher.page;
      await page.goto(`/replay/${session.joinCode}?backend=${BACKEND}`);
      await expect(page.getByRole('heading', { name: 'Replay: Lesson with an exercise' })).toBeVisible();
      const chapters = page.getByTestId('chapters');
      await expect(chapters.getByTestId('chapter').filter({ hasText: 'Exercise 1: revealed' })).toBeVisible();
      await expect(page.getByTestId('skip-idle')).toBeChecked();

      // The question, with the answer count as it stood.
      await chapters.getByTestId('chapter').filter({ hasText: 'Exercise 1: asked' }).click();
      const panel = page.getByTestId('exercise-panel');
      await expect(panel).toHaveAttribute('data-phase', 'open');
      await expect(page.getByTestId('exercise-answered')).toHaveAttribute('data-count', '0');
      await expect(page.getByTestId('exercise-truth')).toHaveCount(0);

      // The reveal: the truth, the class map and every score.
      await chapters.getByTestId('chapter').filter({ hasText: 'Exercise 1: revealed' }).click();
      await expect(panel).toHaveAttribute('data-phase', 'revealed');
      await expect(page.getByTestId('exercise-answered')).toHaveAttribute('data-count', '1');
      await expect(page.getByTestId('exercise-truth')).toHaveAttribute('data-top-cells', topCells ?? '');
      await expect(page.getByTestId('exercise-class-map')).toHaveAttribute('data-counts', /1/);
      await expect(page.getByTestId('exercise-scores-row')).toHaveCount(1);
      await expect(page.getByTestId('exercise-scores-row')).toContainText('Ada');
      await expect(page.getByTestId('leaderboard')).toHaveCount(0);

      // The leaderboard, when the instructor showed it.
      await chapters.getByTestId('chapter').filter({ hasText: 'Exercise 1: leaderboard' }).click();
      await expect(
        page.getByTestId('leaderboard').or(page.getByText('No answer scored above 0')),
      ).toBeVisible();
      expect(await overflowProblems(page.getByRole('main'))).toEqual([]);
      const { violations } = await new AxeBuilder({ page })
        .include('[data-testid="exercise-panel"]')
        .include('section[aria-label="Playback"]')
        .include('nav[aria-label="Chapters"]')
        .analyze();
      expect(
        violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      ).toEqual([]);
      const file = testInfo.outputPath(`replay-leaderboard-${viewport.width}x${viewport.height}.png`);
      await page.screenshot({ path: file, fullPage: true });
      await testInfo.attach('replay-leaderboard', { path: file, contentType: 'image/png' });

      // Put away: the views are back.
      await chapters.getByTestId('chapter').filter({ hasText: 'Exercise 1: put away' }).click();
      await expect(page.getByTestId('current-view')).toHaveAttribute('data-view', 'occlusion');

      // Markers never overlap: each group is one button, and groups sit apart on the bar.
      const boxes = await page.getByTestId('replay-marker').evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect();
          return { left: r.left, right: r.right };
        }),
      );
      boxes.sort((a, b) => a.left - b.left);
      for (let i = 1; i < boxes.length; i++) expect(boxes[i].left).toBeGreaterThanOrEqual(boxes[i - 1].right);
      const grouped = page.getByTestId('replay-marker').and(page.locator(':not([data-count="1"])'));
      if ((await grouped.count()) > 0) {
        await grouped.first().click();
        await expect(page.getByTestId('marker-group')).toBeVisible();
      }

      await teacher.context.close();
    });
  });
}
