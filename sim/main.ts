// `npm run sim`: starts the simulated cloud in the foreground until Ctrl-C, printing where it
// listens and where it wrote clouds.yaml.
import { ConfigError, USAGE, loadConfig } from "./config";
import { cloudName } from "./clouds-yaml";
import { startSim } from "./server";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`cirrus-sim: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  if (config.help) {
    console.log(USAGE);
    return;
  }
  const sim = await startSim({
    port: config.port,
    host: config.host,
    dataDir: config.dataDir,
    fast: config.fast,
    adminPassword: config.adminPassword,
  });
  const first = sim.regions[0] ?? "region-one";
  console.log(`Cirrus simulated cloud listening on ${sim.url}${config.fast ? " (fast mode)" : ""}`);
  console.log(
    `  Keystone:     ${sim.authUrl}   (admin / ${config.adminPassword === "sim-admin" ? "sim-admin" : "<your password>"})`,
  );
  console.log(`  Regions:      ${sim.regions.join(", ")}`);
  console.log(`  State:        ${config.dataDir === null ? "memory only" : config.dataDir}`);
  console.log(`  clouds.yaml:  ${sim.cloudsYamlPath ?? "(none)"}`);
  console.log(
    `  Try:          OS_CLIENT_CONFIG_FILE=${sim.cloudsYamlPath ?? ""} OS_CLOUD=${cloudName(first)} openstack server list`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: saving state and stopping…`);
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

void main().catch((err: unknown) => {
  console.error("cirrus-sim failed to start:", err);
  process.exitCode = 1;
});
