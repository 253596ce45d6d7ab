// End-to-end tests in Debian's Chromium (never a downloaded browser) against the real server:
// built console, embedded Postgres in a fresh data dir, simulated cloud in fast mode, demo data.
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);
const external = process.env.E2E_BASE_URL;
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? 8796);
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
    : [
        {
          // A real OIDC provider for the single sign-on tests.
          command: "node --import tsx e2e/fixtures/oidc-idp.ts",
          url: `http://localhost:${oidcPort}/.well-known/openid-configuration`,
          timeout: 60_000,
          reuseExistingServer: false,
          env: { E2E_OIDC_PORT: String(oidcPort), E2E_APP_URL: `http://localhost:${port}` },
        },
        {
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
            OIDC_ISSUER: `http://localhost:${oidcPort}`,
            OIDC_CLIENT_ID: "cirrus-e2e",
            OIDC_CLIENT_SECRET: "cirrus-e2e-secret",
            OIDC_NAME: "Test IdP",
          },
        },
      ],
});
