import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3917);

// Debian's Chromium, never a downloaded browser. The flags keep it off the
// network that this machine does not have.
export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: 'tests/browser',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: chromiumLaunch,
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'node --import tsx server/index.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: 'file:./data/e2e.db',
      CONVLENS_RESET_DB: '1',
      // The server's backend, set rather than probed: the same in every run, and no GPU probing in the logs.
      CONVLENS_BACKEND: 'wasm',
      LOG_LEVEL: 'warn',
    },
  },
});
