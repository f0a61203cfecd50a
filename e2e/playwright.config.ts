// Browser tests: Debian's Chromium (never a downloaded browser), the built app on `vite preview`,
// and the mock Hugging Face hub serving fixture models from e2e/hub/.data.
import { defineConfig } from '@playwright/test';

export const APP_PORT = Number(process.env.APP_PORT ?? 4173);
export const HUB_PORT = Number(process.env.HUB_PORT ?? 5199);

export default defineConfig({
  testDir: './tests',
  outputDir: './.output',
  timeout: 240_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  /* Retry on CI only */
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    trace: 'on-first-retry',
    acceptDownloads: true,
    // The service worker (offline cache) only where a spec asks for it (offline.spec.ts): the others test the app itself.
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: [
    {
      command: `npx vite preview --port ${APP_PORT} --strictPort --host 127.0.0.1`,
      cwd: '..',
      url: `http://127.0.0.1:${APP_PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `node e2e/hub/server.mjs --port ${HUB_PORT}`,
      cwd: '..',
      url: `http://127.0.0.1:${HUB_PORT}/health`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
  ],
});
