import { expect, type Page, test } from '@playwright/test';
import { createSession, instructorSeat, type Seat, studentSeat } from './support/classroom';

const STEPS = '64';

/** From now on, every step the page's feature-visualisation view shows, in order (previews and the final). */
async function recordSteps(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { featureVisSteps: string[] }).featureVisSteps = seen;
    const record = () => {
      const step = document.querySelector('[data-testid="feature-vis-view"]')?.getAttribute('data-step');
      if (step && seen.at(-1) !== step) seen.push(step);
    };
    record();
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-step'],
    });
  });
}

const stepsSeen = (page: Page) =>
  page.evaluate(() => (window as unknown as { featureVisSteps: string[] }).featureVisSteps);

const image = (page: Page) => page.getByRole('img', { name: 'Optimised image 1' });
const finished = (seat: Seat) =>
  expect(seat.page.getByTestId('feature-vis-view')).toHaveAttribute('data-step', STEPS, { timeout: 90_000 });

/** A run formed in front of the class: since recording began, previews before the final step, then the final. */
async function expectFormed(seat: Seat): Promise<void> {
  const total = Number(STEPS);
  await expect
    .poll(
      async () => {
        const seen = (await stepsSeen(seat.page)).map(Number);
        const firstPreview = seen.findIndex((step) => step < total);
        return firstPreview >= 0 && seen.slice(firstPreview).includes(total);
      },
      { timeout: 90_000 },
    )
    .toBe(true);
  await finished(seat);
}

test('the class watches a feature visualisation form; a browser computing it gets the server’s image and forms a diverse set itself', async ({
  browser,
  request,
}) => {
  const session = await createSession(request, 'What a neuron wants');
  const teacher = await instructorSeat(browser, session);
  const student = await studentSeat(browser, session, 'Ada');

  await teacher.page.getByRole('tab', { name: 'What a neuron wants' }).click();
  await expect(student.page.getByTestId('current-view')).toHaveAttribute('data-view', 'feature-vis');
  await teacher.page.getByLabel('Steps').selectOption(STEPS);
  await recordSteps(student.page);
  await teacher.page.getByRole('button', { name: 'Visualise for the class' }).click();

  // The server streams previews to the class, then the final image; both screens show the same pixels.
  await expectFormed(student);
  await finished(teacher);
  const fromServer = await image(teacher.page).getAttribute('data-checksum');
  expect(fromServer).toMatch(/^[0-9a-f]{8}$/);
  await expect(image(student.page)).toHaveAttribute('data-checksum', fromServer ?? '');
  await expect(student.page.getByText(/server \(wasm/).first()).toBeVisible();
  // Beside it: the neuron's receptive field on the image, and the photos that fire the channel most.
  await expect(student.page.getByTestId('feature-vis-box').first()).toBeVisible();
  await expect(student.page.getByRole('heading', { name: 'Photos that fire it most' })).toBeVisible();

  // The browser fallback runs the same code: a student joining once the session computes in the browsers
  // computes the same image from the same seed and settings (wasm on both sides).
  await teacher.page.getByLabel('in each browser').click();
  await expect(teacher.page.getByLabel('in each browser')).toBeChecked();
  const latecomer = await studentSeat(browser, session, 'Bo');
  await finished(latecomer);
  await expect(latecomer.page.getByText(/your browser \(wasm\)/).first()).toBeVisible();
  await expect(image(latecomer.page)).toHaveAttribute('data-checksum', fromServer ?? '');

  // And it forms there too: three images kept different from a new seed, optimised in this browser.
  await recordSteps(latecomer.page);
  await teacher.page.getByLabel('Seed').fill('1');
  await teacher.page.getByLabel('Images', { exact: true }).selectOption('3');
  await teacher.page.getByRole('button', { name: 'Visualise for the class' }).click();
  await expectFormed(latecomer);
  const images = latecomer.page.getByRole('img', { name: /^Optimised image/ });
  await expect(images).toHaveCount(3);
  const checksums = await images.evaluateAll((canvases) => canvases.map((c) => c.dataset.checksum));
  expect(new Set([...checksums, fromServer]).size).toBe(4);

  for (const seat of [teacher, student, latecomer]) await seat.context.close();
});
