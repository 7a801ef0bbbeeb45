import { expect, test } from '@playwright/test';
import { createSession, instructorSeat, type Seat, studentSeat } from './support/classroom';

test.describe('live classroom: one instructor, three students', () => {
  test('every student follows view, layer and neuron; reloads land on the same view; students cannot drive', async ({
    browser,
    request,
  }) => {
    const session = await createSession(request, 'Follow me');
    const teacher = await instructorSeat(browser, session);
    const students: Seat[] = [];
    for (const name of ['Ada', 'Ben', 'Cy']) students.push(await studentSeat(browser, session, name));
    await expect(teacher.page.getByTestId('participant')).toHaveCount(4);

    // The console picks an image and a neuron for a fresh session; everyone sees the same prediction.
    const prediction = teacher.page.getByTestId('prediction');
    await expect(prediction).toContainText('the model says');
    const predicted = await prediction.textContent();
    for (const s of students) await expect(s.page.getByTestId('prediction')).toHaveText(predicted ?? '');

    await teacher.page.getByRole('tab', { name: 'Filters' }).click();
    for (const s of students)
      await expect(s.page.getByTestId('current-view')).toHaveAttribute('data-view', 'filters');

    const layerSelect = teacher.page.getByLabel('Layer');
    const options = await layerSelect.locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(1);
    const second = await layerSelect.locator('option').nth(1).getAttribute('value');
    await layerSelect.selectOption(second ?? '');
    for (const s of students) await expect(s.page.getByLabel('Layer')).toHaveValue(second ?? '');
    await expect(students[1].page.getByLabel('Layer')).toBeDisabled();

    await teacher.page.getByRole('tab', { name: 'Receptive fields' }).click();
    await teacher.page.getByTestId('receptive-field-canvas').focus();
    await teacher.page.keyboard.press('ArrowRight');
    await teacher.page.keyboard.press('ArrowDown');
    const captionOf = (page: typeof teacher.page) =>
      page.getByTestId('receptive-field-view').locator('[aria-live="polite"]');
    const caption = captionOf(teacher.page);
    await expect(caption).toContainText('[');
    const shown = await caption.textContent();
    for (const s of students) await expect(captionOf(s.page)).toHaveText(shown ?? '');

    // A student who reloads lands on the exact same view.
    await students[0].page.reload();
    await expect(students[0].page.getByTestId('current-view')).toHaveAttribute(
      'data-view',
      'receptive-field',
    );
    await expect(captionOf(students[0].page)).toHaveText(shown ?? '');
    await expect(teacher.page.getByTestId('participant').filter({ hasText: 'Ada' })).toHaveAttribute(
      'data-online',
      'true',
    );

    // Students cannot change the shared view.
    const student = students[1].page;
    await expect(student.getByRole('tab', { name: 'Occlusion' })).toBeDisabled();
    await expect(teacher.page.getByTestId('current-view')).toHaveAttribute('data-view', 'receptive-field');

    for (const s of [teacher, ...students]) await s.context.close();
  });

  test('two occlusion settings changed at once both reach the class (the second does not undo the first)', async ({
    browser,
    request,
  }) => {
    const session = await createSession(request, 'Quick hands');
    const teacher = await instructorSeat(browser, session);
    const student = await studentSeat(browser, session, 'Eve');
    await teacher.page.getByRole('tab', { name: 'Occlusion' }).click();
    await expect(student.page.getByTestId('current-view')).toHaveAttribute('data-view', 'occlusion');
    // Back to back in one task, so the session cannot have answered the first before the second.
    await teacher.page.evaluate(() => {
      for (const [label, value] of [
        ['Patch size', '16'],
        ['Stride', '8'],
      ]) {
        const select = document.querySelector<HTMLSelectElement>(`select[aria-label="${label}"]`);
        if (!select) throw new Error(`no ${label} control`);
        select.value = value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      }
    });
    await expect(student.page.getByText(/Patch 16 px, stride 8 px/)).toBeVisible();
    await expect(teacher.page.getByLabel('Patch size')).toHaveValue('16');
    await expect(teacher.page.getByLabel('Stride')).toHaveValue('8');
    await student.context.close();
    await teacher.context.close();
  });

  test('with server compute off, a student computes the occlusion map in the browser and gets the server’s heatmap', async ({
    browser,
    request,
  }) => {
    const session = await createSession(request, 'Compute anywhere');
    const teacher = await instructorSeat(browser, session);
    await teacher.page.getByRole('tab', { name: 'Occlusion' }).click();
    const serverView = teacher.page.getByTestId('occlusion-heatmap');
    await expect(teacher.page.getByText(/server \(/).first()).toBeVisible();
    await expect(serverView).toHaveAttribute('data-checksum', /.+/);
    const serverChecksum = await serverView.getAttribute('data-checksum');
    const rows = await serverView.getAttribute('data-rows');

    await teacher.page.getByLabel('in each browser').click();
    await expect(teacher.page.getByLabel('in each browser')).toBeChecked();
    const student = await studentSeat(browser, session, 'Dee');
    const studentView = student.page.getByTestId('occlusion-heatmap');
    await expect(student.page.getByText(/your browser \(wasm\)/).first()).toBeVisible({ timeout: 60_000 });
    await expect(studentView).toHaveAttribute('data-rows', rows ?? '');
    await expect(studentView).toHaveAttribute('data-checksum', serverChecksum ?? '');
    await expect(teacher.page.getByTestId('participant').filter({ hasText: 'Dee' })).toContainText('wasm');

    await student.context.close();
    await teacher.context.close();
  });
});

test('in free exploration a student changes only their own view, and comes back in step', async ({
  browser,
  request,
}) => {
  const session = await createSession(request, 'Explore');
  const teacher = await instructorSeat(browser, session);
  const explorer = await studentSeat(browser, session, 'Eli');
  const bystander = await studentSeat(browser, session, 'Fay');
  const tab = (seat: Seat, name: string) => seat.page.getByRole('tab', { name });
  const viewOf = (seat: Seat) => seat.page.getByTestId('current-view');

  await expect(tab(explorer, 'Filters')).toBeDisabled();
  await teacher.page.getByLabel('explore freely').click();
  await expect(tab(explorer, 'Filters')).toBeEnabled();
  await tab(explorer, 'Filters').click();
  await expect(viewOf(explorer)).toHaveAttribute('data-view', 'filters');
  await expect(explorer.page.getByText('You are exploring on your own')).toBeVisible();
  await expect(explorer.page.getByTestId('seat')).toHaveAttribute('data-seat', 'exploring');
  await expect(viewOf(teacher)).toHaveAttribute('data-view', 'receptive-field');
  await expect(viewOf(bystander)).toHaveAttribute('data-view', 'receptive-field');

  await explorer.page.getByRole('button', { name: 'Back to the class' }).click();
  await expect(viewOf(explorer)).toHaveAttribute('data-view', 'receptive-field');

  await tab(explorer, 'Occlusion').click();
  await expect(viewOf(explorer)).toHaveAttribute('data-view', 'occlusion');
  await teacher.page.getByLabel('follow me').click();
  await expect(viewOf(explorer)).toHaveAttribute('data-view', 'receptive-field');
  await expect(tab(explorer, 'Occlusion')).toBeDisabled();

  for (const s of [teacher, explorer, bystander]) await s.context.close();
});
