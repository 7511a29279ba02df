import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. The flags keep it from calling out to a
// network this machine does not have.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './tests',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  // Two cores: one browser at a time keeps timings honest.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['./summary-reporter.ts']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    // A tablet in portrait, the main device at the kitchen table.
    viewport: { width: 768, height: 1024 },
    // Where the municipality's tablets are: a contact made at 00:30 is that day's, as the
    // server counts it (a browser in UTC put it on the day before between 23:00 and 24:00).
    timezoneId: 'Europe/Amsterdam',
    serviceWorkers: 'allow',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: chromiumArgs,
    },
    trace: 'off',
  },
});
