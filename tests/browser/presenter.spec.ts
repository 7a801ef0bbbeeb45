import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo, test } from '@playwright/test';
import { BACKEND, createSession, instructorSeat } from './support/classroom';
import { overflowProblems } from './support/overflow';

/** Everything a page has sent or received over its sockets, and the bodies of its HTTP traffic. */
function recordTraffic(page: Page): string[] {
  const seen: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => seen.push(String(f.payload)));
    ws.on('framereceived', (f) => seen.push(String(f.payload)));
  });
  page.on('request', (r) => seen.push(`${r.url()} ${r.postData() ?? ''}`));
  return seen;
}

/** A screenshot kept in the test's output folder (test-results/…) and attached to the report. */
async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe('presenter view', () => {
  for (const viewport of [
    { width: 1280, height: 720 },
    { width: 1920, height: 1080 },
  ]) {
    test(`follows the class at ${viewport.width}×${viewport.height}, shows the join code until hidden, never holds the key`, async ({
      browser,
      request,
    }, testInfo) => {
      const session = await createSession(request, 'Projector check');
      const teacher = await instructorSeat(browser, session);
      await teacher.page.setViewportSize(viewport);

      // The projector opened from the console, in the browser that holds the instructor key.
      const [projector] = await Promise.all([
        teacher.context.waitForEvent('page'),
        teacher.page.getByTestId('open-presenter').click(),
      ]);
      const traffic = recordTraffic(projector);
      await projector.setViewportSize(viewport);
      // The first connection may have begun before recording: reload so every frame is seen.
      await projector.goto(`/s/${session.joinCode}/present?backend=${BACKEND}`);
      await expect(projector.getByTestId('presenter')).toHaveAttribute('data-status', 'live');
      await expect(projector.getByTestId('presenter-join-code')).toHaveText(session.joinCode);
      // The reload above may come before the first connection's join was answered: that one stays, offline.
      const onlineProjector = teacher.page
        .locator('[data-testid="participant"][data-online="true"]')
        .filter({ hasText: 'Projector' });
      await expect(onlineProjector).toContainText('projector');

      // It follows the view, with nothing to click.
      await teacher.page.getByRole('tab', { name: 'Feature maps' }).click();
      await expect(projector.getByTestId('current-view')).toHaveAttribute('data-view', 'activations');
      await expect(projector.getByTestId('feature-maps-view')).toBeVisible();
      await expect(projector.getByRole('tab')).toHaveCount(0);
      await expect(projector.getByRole('slider')).toHaveCount(0);
      await expect(projector.getByRole('combobox')).toHaveCount(0);
      await expect(projector.getByTestId('explanation')).toBeVisible();
      await expect(projector.getByTestId('join-qr').getByRole('img')).toBeVisible();
      expect(await overflowProblems(projector.getByTestId('presenter'))).toEqual([]);
      await keepScreenshot(projector, testInfo, `presenter-activations-${viewport.width}`);
      expect(await seriousViolations(projector)).toEqual([]);

      // The instructor hides the join code and the explanations; the projector follows.
      // The boxes show the session's state: they change when the action comes back folded.
      await teacher.page.getByTestId('toggle-join-code').click();
      await expect(teacher.page.getByTestId('toggle-join-code')).not.toBeChecked();
      await expect(projector.getByTestId('join-banner')).toHaveCount(0);
      await teacher.page.getByTestId('toggle-explain').click();
      await expect(teacher.page.getByTestId('toggle-explain')).not.toBeChecked();
      await expect(projector.getByTestId('explanation')).toHaveCount(0);
      await teacher.page.getByRole('tab', { name: 'Occlusion' }).click();
      await expect(projector.getByTestId('current-view')).toHaveAttribute('data-view', 'occlusion');
      await keepScreenshot(projector, testInfo, `presenter-occlusion-${viewport.width}`);

      // The key is nowhere: not in the page, not in its storage reads, not on the wire.
      const html = await projector.content();
      expect(html).not.toContain(session.instructorKey);
      const text = await projector.evaluate(() => document.body.textContent);
      expect(text).not.toContain(session.instructorKey);
      expect(traffic.length).toBeGreaterThan(0);
      expect(traffic.filter((t) => t.includes(session.instructorKey))).toEqual([]);
      expect(traffic.some((t) => t.includes('"presenter":true'))).toBe(true);
      await teacher.context.close();
    });
  }

  test('the network strip picks a layer for every screen, with thumbnails of the image; pinning says so', async ({
    browser,
    request,
  }) => {
    const session = await createSession(request, 'Strip check');
    const teacher = await instructorSeat(browser, session);
    const projector = await teacher.context.newPage();
    await projector.goto(`/s/${session.joinCode}/present?backend=${BACKEND}`);
    await expect(projector.getByTestId('presenter')).toHaveAttribute('data-status', 'live');
    await teacher.page.getByRole('tab', { name: 'Feature maps' }).click();
    await expect(projector.getByTestId('feature-maps-view')).toBeVisible();

    const strip = teacher.page.getByTestId('network-strip');
    await strip.locator('summary').click();
    await strip.getByRole('checkbox').check();
    await expect(strip.locator('li[data-layer="pool1"] canvas')).toBeVisible();
    await strip.locator('li[data-layer="pool1"] button').click();
    await expect(projector.getByTestId('current-view')).toContainText('Layer pool1');
    await expect(projector.getByTestId('network-strip').locator('summary')).toContainText('pool1');

    // A neuron picked on the large map, then pinned: the console says so and the pin shows beside the others.
    await teacher.page.getByTestId('feature-map-canvas').focus();
    await teacher.page.keyboard.press('ArrowRight');
    await teacher.page.getByRole('tab', { name: 'Receptive fields' }).click();
    await teacher.page.getByRole('button', { name: 'Pin this neuron' }).click();
    await expect(teacher.page.getByRole('status').filter({ hasText: 'Pinned pool1' })).toBeVisible();
    await expect(projector.getByTestId('pinned-neuron')).toHaveCount(1);
    await teacher.context.close();
  });

  test('no serious accessibility violations on the home page, console and student view', async ({
    browser,
    page,
    request,
  }) => {
    await page.goto('/');
    expect(await seriousViolations(page)).toEqual([]);
    const session = await createSession(request, 'Axe check');
    const teacher = await instructorSeat(browser, session);
    await expect(teacher.page.getByTestId('current-view')).toBeVisible();
    expect(await seriousViolations(teacher.page)).toEqual([]);
    await page.goto(`/s/${session.joinCode}?backend=${BACKEND}`);
    await page.getByLabel('Your name').fill('Ada');
    await page.getByRole('button', { name: 'Join' }).click();
    await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live');
    await expect(page.getByTestId('current-view')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await teacher.context.close();
  });
});
