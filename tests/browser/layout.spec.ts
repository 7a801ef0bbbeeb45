import { existsSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, type TestInfo, test } from '@playwright/test';
import { PACKS } from '@/lib/models/packs';
import { createSession, instructorSeat } from './support/classroom';
import { overflowProblems } from './support/overflow';

const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];
const PACKS_DIR = path.resolve(process.env.CONVLENS_PACKS_DIR ?? '../shared/packs');
const BUILT_IN = 'mnist-cnn';

interface LayerOption {
  value: string;
  kind: string;
}

/** One layer per kind among the layer picker's options ("name (kind, shape)"). */
async function layerPerKind(page: Page): Promise<LayerOption[]> {
  const select = page.getByTestId('current-view').getByLabel('Layer', { exact: true });
  if ((await select.count()) === 0) return [];
  const options = await select
    .locator('option')
    .evaluateAll((nodes) =>
      nodes.map((n) => ({ value: (n as HTMLOptionElement).value, text: n.textContent ?? '' })),
    );
  const byKind = new Map<string, LayerOption>();
  for (const { value, text } of options) {
    const kind = /\(([^,]+),/.exec(text)?.[1];
    if (value && kind && !byKind.has(kind)) byKind.set(kind, { value, kind });
  }
  // The deepest layer too: the most channels (MobileNet's 1×1 layers with hundreds of filters).
  const last = options.at(-1);
  if (last?.value && ![...byKind.values()].some((o) => o.value === last.value)) {
    byKind.set('deepest', { value: last.value, kind: `deepest ${last.value}` });
  }
  return [...byKind.values()];
}

/** The view has drawn what it shows (or says it is computing). */
async function settled(page: Page, view: string): Promise<void> {
  const area = page.getByTestId('current-view');
  const shown: Record<string, Locator> = {
    'receptive-field': area.getByTestId('receptive-field-canvas'),
    activations: area.getByTestId('feature-maps-view'),
    filters: area.getByTestId('filters-view').or(area.getByText('no convolution layers')),
    occlusion: area.getByTestId('occlusion-view'),
    'top-activating': area.getByTestId('top-activating-view'),
    'feature-vis': area.locator('section').first(),
  };
  await expect(shown[view]).toBeVisible({ timeout: 90_000 });
}

/** Screenshots of every view for a person to look over: CONVLENS_LAYOUT_SHOTS=1 (they take a third of the run). */
const SHOOT_ALL = process.env.CONVLENS_LAYOUT_SHOTS === '1';

async function checkEveryViewport(page: Page, testInfo: TestInfo, what: string): Promise<void> {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    const problems = [
      ...(await overflowProblems(page.getByTestId('current-view'))),
      ...(await overflowProblems(page.locator('main'))),
    ];
    if (SHOOT_ALL || problems.length > 0) {
      const name = `${what} ${viewport.width}x${viewport.height}`.replace(/[^\w.-]+/g, '-');
      const file = testInfo.outputPath(`${name}.png`);
      await page.getByTestId('current-view').screenshot({ path: file });
      await testInfo.attach(name, { path: file, contentType: 'image/png' });
    }
    expect(problems, `${what} at ${viewport.width}×${viewport.height}`).toEqual([]);
  }
}

const VIEW_TABS: [string, string][] = [
  ['receptive-field', 'Receptive fields'],
  ['activations', 'Feature maps'],
  ['top-activating', 'Neurons that fire'],
  ['filters', 'Filters'],
  ['occlusion', 'Occlusion'],
  ['feature-vis', 'What a neuron wants'],
];

// Pack models whose files are here; the test of a pack that is absent is not declared.
const packModels = PACKS.filter((p) => existsSync(path.join(PACKS_DIR, p.directory))).map(
  (p) => p.manifest.id,
);

test.describe('every view fits 1280×720 and 1920×1080', () => {
  for (const model of [BUILT_IN, ...packModels]) {
    test(`${model}: every view and layer kind, no horizontal overflow`, async ({
      browser,
      request,
    }, testInfo) => {
      test.setTimeout(900_000);
      const catalog = (await (await request.get('/api/models')).json()) as { models: { id: string }[] };
      // Its files are here (or it is built in): a server that does not list it is broken, not a reason to skip.
      expect(catalog.models.map((m) => m.id)).toContain(model);
      const session = await createSession(request, `Layout ${model}`, model);
      const teacher = await instructorSeat(browser, session);
      const { page } = teacher;
      await page.setViewportSize(VIEWPORTS[0]);
      await expect(page.getByTestId('prediction')).toBeVisible({ timeout: 90_000 });

      for (const [view, tab] of VIEW_TABS) {
        await page.getByRole('tab', { name: tab }).click();
        await expect(page.getByTestId('current-view')).toHaveAttribute('data-view', view);
        await settled(page, view);
        if (view === 'receptive-field') {
          // The layer table: one row per kind.
          const rows = await page
            .getByTestId('layer-table')
            .locator('tbody tr')
            .evaluateAll((trs) =>
              trs.map((tr) => [tr.getAttribute('data-layer'), tr.children[1]?.textContent]),
            );
          const kinds = new Map(rows.map(([name, kind]) => [kind, name]));
          for (const [kind, name] of kinds) {
            await page.getByTestId('layer-table').locator(`tr[data-layer="${name}"] button`).click();
            await expect(page.getByTestId('rf-size')).toContainText(name ?? '');
            await checkEveryViewport(page, testInfo, `${model} ${view} ${kind}`);
            await page.setViewportSize(VIEWPORTS[0]);
          }
          continue;
        }
        const kinds = await layerPerKind(page);
        if (kinds.length === 0) {
          await checkEveryViewport(page, testInfo, `${model} ${view}`);
          await page.setViewportSize(VIEWPORTS[0]);
          continue;
        }
        for (const { value, kind } of kinds) {
          await page.getByTestId('current-view').getByLabel('Layer', { exact: true }).selectOption(value);
          await settled(page, view);
          if (view === 'activations') {
            await expect(page.getByTestId('feature-maps-view')).toHaveCount(1, { timeout: 90_000 });
          }
          await checkEveryViewport(page, testInfo, `${model} ${view} ${kind}`);
          await page.setViewportSize(VIEWPORTS[0]);
        }
      }
      await teacher.context.close();
    });
  }

  test('the replay has no serious accessibility violations', async ({ browser, request }) => {
    const session = await createSession(request, 'Replay axe');
    const teacher = await instructorSeat(browser, session);
    await expect(teacher.page.getByTestId('prediction')).toBeVisible({ timeout: 90_000 });
    await teacher.page.goto(`/replay/${session.joinCode}`);
    await expect(teacher.page.getByRole('heading', { name: /Replay/ })).toBeVisible();
    const { violations } = await new AxeBuilder({ page: teacher.page }).analyze();
    const serious = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
    await teacher.context.close();
  });
});
