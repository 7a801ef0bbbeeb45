import { expect, test } from '@playwright/test';
import type { ReplayShare } from '@/lib/protocol/replay';
import { BACKEND, createSession, instructorSeat } from './support/classroom';

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
