// `npm start`: builds the console when the sources are newer than the last build, then runs the
// one server process (embedded Postgres + simulated cloud + demo data unless configured otherwise).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);

if (!existsSync("node_modules/next")) {
  console.error("Dependencies are missing: run `npm install` first.");
  process.exit(1);
}

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const buildId = ".next/BUILD_ID";
const sources = Math.max(
  ...["app", "components", "server", "db", "public"].map(newest),
  ...["next.config.ts", "package.json", "postcss.config.mjs"]
    .filter(existsSync)
    .map((f) => statSync(f).mtimeMs),
);
if (!existsSync(buildId) || statSync(buildId).mtimeMs < sources) {
  console.log("Building the console (next build)...");
  const r = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
