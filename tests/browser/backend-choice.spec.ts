import { expect, test } from '@playwright/test';
import { createSession, instructorSeat } from './support/classroom';

/**
 * "In each browser": a student's tab times one forward pass of the session's model on each candidate
 * backend, computes on the fastest, remembers the choice for the tab, and its presence names it. In headless
 * Chromium WebGL is software (SwiftShader), so wasm wins.
 */
test('a browser computes on its fastest backend, measured once, and its presence says which', async ({
  browser,
  request,
}) => {
  const session = await createSession(request, 'Fastest backend');
  const teacher = await instructorSeat(browser, session);
  await teacher.page.getByRole('tab', { name: 'Occlusion' }).click();
  await teacher.page.getByLabel('in each browser').click();
  await expect(teacher.page.getByLabel('in each browser')).toBeChecked();

  const context = await browser.newContext();
  await context.addInitScript((code) => {
    // Kept across the reload below: the same participant comes back.
    const stored = JSON.parse(localStorage.getItem(`convlens:${code}`) ?? '{}');
    localStorage.setItem(`convlens:${code}`, JSON.stringify({ name: 'Gus', ...stored }));
  }, session.joinCode);
  const student = await context.newPage();
  await student.goto(`/s/${session.joinCode}?backends=webgl,wasm`);
  await student.getByTestId('status').and(student.locator('[data-status="live"]')).waitFor();

  const choiceOf = () =>
    student.evaluate(() => JSON.parse(sessionStorage.getItem('convlens:backend-choice:mnist-cnn') ?? 'null'));
  await expect.poll(choiceOf, { timeout: 60_000 }).not.toBeNull();
  const choice = await choiceOf();
  test
    .info()
    .annotations.push({ type: 'timings (ms per pass)', description: JSON.stringify(choice.timings) });
  expect(choice.candidates).toEqual(['webgl', 'wasm']);
  expect(choice.backend).toBe('wasm');
  expect(choice.timings.wasm).toBeGreaterThan(0);
  if (choice.timings.webgl !== undefined) expect(choice.timings.wasm).toBeLessThan(choice.timings.webgl);

  await expect(teacher.page.getByTestId('participant').filter({ hasText: 'Gus' })).toContainText('wasm');
  await expect(student.getByText(/your browser \(wasm\)/).first()).toBeVisible({ timeout: 60_000 });

  // The choice is kept for the tab: a reload starts on it without measuring again.
  await student.reload();
  await student.getByTestId('status').and(student.locator('[data-status="live"]')).waitFor();
  await expect(teacher.page.getByTestId('participant').filter({ hasText: 'Gus' })).toContainText('wasm');
  expect(await choiceOf()).toEqual(choice);

  await context.close();
  await teacher.context.close();
});
