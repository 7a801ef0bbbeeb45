import type { APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';
import type { CreateSessionResult } from '@/lib/protocol/http';

/** Tests pin the browser backend: wasm is the fast one in headless Chromium. */
export const BACKEND = 'wasm';

export async function createSession(request: APIRequestContext, title: string, modelId?: string) {
  const res = await request.post('/api/sessions', { data: { title, ...(modelId ? { modelId } : {}) } });
  if (res.status() !== 201) throw new Error(`create failed: ${res.status()} ${await res.text()}`);
  return (await res.json()) as CreateSessionResult;
}

export interface Seat {
  context: BrowserContext;
  page: Page;
}

/** Options of the seat's browser context (its viewport, for the lecture-hall sizes). */
export type SeatOptions = Parameters<Browser['newContext']>[0];

async function seat(
  browser: Browser,
  joinCode: string,
  credentials: Record<string, string>,
  path: string,
  options?: SeatOptions,
) {
  const context = await browser.newContext(options);
  await context.addInitScript(
    ([code, creds]) => {
      const key = `convlens:${code}`;
      const stored = JSON.parse(localStorage.getItem(key) ?? '{}');
      localStorage.setItem(key, JSON.stringify({ ...creds, ...stored }));
    },
    [joinCode, credentials] as const,
  );
  const page = await context.newPage();
  await page.goto(`${path}?backend=${BACKEND}`);
  await page.getByTestId('status').and(page.locator('[data-status="live"]')).waitFor();
  return { context, page };
}

export function instructorSeat(
  browser: Browser,
  session: CreateSessionResult,
  options?: SeatOptions,
): Promise<Seat> {
  return seat(
    browser,
    session.joinCode,
    { instructorKey: session.instructorKey },
    `/s/${session.joinCode}/instructor`,
    options,
  );
}

export function studentSeat(
  browser: Browser,
  session: CreateSessionResult,
  name: string,
  options?: SeatOptions,
): Promise<Seat> {
  return seat(browser, session.joinCode, { name }, `/s/${session.joinCode}`, options);
}
