// The only module that reads process.env: everything is validated once, at import.
import { z } from "zod";

const bool = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** web = pages + API, worker = jobs + reconciler, all = both (default, one process). */
  CIRRUS_ROLE: z.enum(["web", "worker", "all"]).default("all"),
  /** Postgres URL; when unset, an embedded Postgres under CIRRUS_DATA_DIR is used. */
  DATABASE_URL: z.string().url().optional(),
  /** Owner of the schema (migrations); defaults to DATABASE_URL. Keep the app role without UPDATE/DELETE on audit_events. */
  DATABASE_MIGRATION_URL: z.string().url().optional(),
  CIRRUS_DATA_DIR: z.string().default(".cirrus"),
  CIRRUS_EMBEDDED_PG_PORT: z.coerce.number().int().default(54329),
  CIRRUS_DEMO: bool,
  CIRRUS_DEMO_PASSWORD: z.string().min(8).default("cirrus-demo"),
  /** Secret for session cookies and the secret-encryption envelope. Generated and kept under the data dir when unset. */
  AUTH_SECRET: z.string().min(32).optional(),
  /** Public URL of the console (used by OIDC redirects). */
  CIRRUS_PUBLIC_URL: z.string().url().optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_NAME: z.string().default("Single sign-on"),
  /** Clouds: a clouds.yaml (openstacksdk format), one entry per region, or OS_* for a single region. */
  CIRRUS_CLOUDS_YAML: z.string().optional(),
  CIRRUS_CLOUDS: z.string().optional(),
  OS_CLIENT_CONFIG_FILE: z.string().optional(),
  OS_CLOUD: z.string().optional(),
  OS_AUTH_URL: z.string().url().optional(),
  OS_USERNAME: z.string().optional(),
  OS_PASSWORD: z.string().optional(),
  OS_PROJECT_NAME: z.string().optional(),
  OS_PROJECT_ID: z.string().optional(),
  OS_USER_DOMAIN_NAME: z.string().optional(),
  OS_PROJECT_DOMAIN_NAME: z.string().optional(),
  OS_REGION_NAME: z.string().optional(),
  OS_INTERFACE: z.enum(["public", "internal", "admin"]).optional(),
  OS_APPLICATION_CREDENTIAL_ID: z.string().optional(),
  OS_APPLICATION_CREDENTIAL_SECRET: z.string().optional(),
  PROMETHEUS_URL: z.string().url().optional(),
  /** Contract suite: run against this clouds.yaml entry instead of the sim. */
  CIRRUS_CONTRACT_CLOUD: z.string().optional(),
  /** The simulated cloud: port and fast mode (tests). */
  CIRRUS_SIM_PORT: z.coerce.number().int().default(8790),
  CIRRUS_SIM_FAST: bool,
  CIRRUS_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Login attempts allowed per email+IP in a 15-minute window. */
  CIRRUS_LOGIN_LIMIT: z.coerce.number().int().min(1).default(10),
});

export type Env = z.infer<typeof schema>;

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env: Env = load();

/**
 * Values computed at start-up (the embedded Postgres URL, the generated secret) are handed to
 * the rest of the process here, and through process.env to Next's own module graph.
 */
export function setRuntimeEnv(values: Partial<Pick<Env, "DATABASE_URL" | "AUTH_SECRET">>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    (env as Record<string, unknown>)[k] = v;
    process.env[k] = String(v);
  }
}
