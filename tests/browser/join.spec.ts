import { expect, test } from '@playwright/test';

test('an instructor creates a session and a student joins with its code', async ({ browser }) => {
  const instructor = await browser.newContext();
  const teacherPage = await instructor.newPage();
  await teacherPage.goto('/');
  await teacherPage.getByLabel('Title').fill('Edges and blobs');
  await teacherPage.getByRole('button', { name: 'Create session' }).click();
  await expect(teacherPage).toHaveURL(/\/s\/[A-Z0-9]{6}\/instructor$/);
  const code = (await teacherPage.getByTestId('join-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[A-Z0-9]{6}$/);
  await expect(teacherPage.getByRole('heading', { name: 'Edges and blobs' })).toBeVisible();

  const student = await browser.newContext();
  const studentPage = await student.newPage();
  await studentPage.goto('/');
  await studentPage.getByLabel('Join code').fill(code.toLowerCase());
  await studentPage.getByLabel('Your name').fill('Grace');
  await studentPage.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(studentPage.getByTestId('status')).toHaveAttribute('data-status', 'live');

  const participants = teacherPage.getByTestId('participants');
  await expect(participants.getByText('Grace')).toBeVisible();
  await expect(participants.getByTestId('participant').filter({ hasText: 'Grace' })).toHaveAttribute(
    'data-online',
    'true',
  );

  await teacherPage.getByRole('tab', { name: 'Occlusion' }).click();
  await expect(studentPage.getByTestId('current-view')).toHaveAttribute('data-view', 'occlusion');
  await expect(studentPage.getByRole('tab', { name: 'Filters' })).toBeDisabled();

  await student.close();
  await expect(participants.getByTestId('participant').filter({ hasText: 'Grace' })).toHaveAttribute(
    'data-online',
    'false',
  );
  await instructor.close();
});
