// End-to-end tests in Debian's Chromium (never a downloaded browser) against the real server:
// built console, embedded Postgres in a fresh data dir, simulated cloud in fast mode, demo data.
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);
const external = process.env.E2E_BASE_URL;
const dataDir = process.env.E2E_DATA_DIR ?? ".cirrus/e2e";

export default defineConfig({
  testDir: "e2e",
  testMatch: ["**/*.spec.ts"],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: external ?? `http://localhost:${port}`,
    screenshot: "only-on-failure",
    trace: "off",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: external
    ? undefined
    : {
        command: `rm -rf ${dataDir} && node --import tsx server/index.ts`,
        url: `http://localhost:${port}/api/common/v1/health`,
        timeout: 180_000,
        reuseExistingServer: false,
        stdout: "ignore",
        stderr: "pipe",
        env: {
          NODE_ENV: "production",
          PORT: String(port),
          CIRRUS_DATA_DIR: dataDir,
          CIRRUS_EMBEDDED_PG_PORT: String(Number(process.env.E2E_PG_PORT ?? 54349)),
          CIRRUS_SIM_PORT: String(Number(process.env.E2E_SIM_PORT ?? 8795)),
          CIRRUS_SIM_FAST: "1",
          CIRRUS_LOG_LEVEL: "warn",
          CIRRUS_LOGIN_LIMIT: "1000",
          NEXT_TELEMETRY_DISABLED: "1",
        },
      },
});
