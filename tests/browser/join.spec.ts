import { expect, test } from '@playwright/test';
import { createSession } from './support/classroom';

test('an instructor creates a session and a student joins with its code', async ({ browser }) => {
  const instructor = await browser.newContext();
  const teacherPage = await instructor.newPage();
  await teacherPage.goto('/');
  await teacherPage.getByLabel('Title').fill('Edges and blobs');
  await teacherPage.getByRole('button', { name: 'Create session' }).click();
  await expect(teacherPage).toHaveURL(/\/s\/[A-Z0-9]{6}\/instructor$/);
  // The key is shown once, at creation, then never again on this screen.
  const keyDialog = teacherPage.getByTestId('instructor-key-dialog');
  await expect(keyDialog.getByTestId('instructor-key')).toHaveText(/^\S{16,}$/);
  const key = (await keyDialog.getByTestId('instructor-key').textContent()) ?? '';
  await keyDialog.getByRole('button', { name: 'I have what I need' }).click();
  await expect(keyDialog).toBeHidden();
  await teacherPage.reload();
  await expect(teacherPage.getByTestId('status')).toHaveAttribute('data-status', 'live');
  await expect(teacherPage.getByTestId('instructor-key-dialog')).toHaveCount(0);
  expect(await teacherPage.content()).not.toContain(key);
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

test('a wrong code brings the join form back; the console link opens the console on another device', async ({
  browser,
  request,
}) => {
  const lost = await browser.newContext();
  const page = await lost.newPage();
  await page.goto('/');
  await page.getByLabel('Join code').fill('ZZZZZZ');
  await page.getByLabel('Your name').fill('Hal');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  const form = page.getByTestId('join-form');
  await expect(form.getByRole('alert')).toContainText('No session has the code ZZZZZZ');

  const session = await createSession(request, 'Second device');
  await form.getByLabel('Join code').fill(session.joinCode);
  await form.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live');
  await expect(page.getByTestId('seat')).toHaveAttribute('data-seat', 'following');

  const tablet = await browser.newContext();
  const console2 = await tablet.newPage();
  await console2.goto(`/s/${session.joinCode}/instructor#key=${encodeURIComponent(session.instructorKey)}`);
  await expect(console2.getByTestId('seat')).toHaveAttribute('data-seat', 'driving');
  expect(new URL(console2.url()).hash).toBe('');
  await expect(console2.getByTestId('instructor-key-dialog')).toHaveCount(0);

  const wrong = await browser.newContext();
  const intruder = await wrong.newPage();
  await intruder.goto(`/s/${session.joinCode}/instructor#key=${'x'.repeat(32)}`);
  await expect(intruder.getByRole('main').getByRole('alert')).toContainText(
    'That key does not open this session',
  );

  for (const c of [lost, tablet, wrong]) await c.close();
});
