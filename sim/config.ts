// Command-line flags and environment of `npm run sim`: the only place in sim/ that reads
// process.env (the lint rule allows it here). Flags win over the environment.
import { resolve } from "node:path";
import { DEFAULT_ADMIN_PASSWORD, DEFAULT_PORT } from "./server";
import type { SimOptions } from "./server";

export interface SimConfig extends Required<Omit<SimOptions, "dataDir">> {
  dataDir: string | null;
  help: boolean;
}

export const USAGE = `Usage: npm run sim -- [options]

Runs the simulated OpenStack cloud (Keystone, Nova, Neutron, Cinder, Glance, Prometheus; two
regions) and writes a clouds.yaml for the openstack CLI.

Options (environment variable in brackets):
  -p, --port <n>            port to listen on, 0 = any free port [CIRRUS_SIM_PORT] (default ${DEFAULT_PORT})
      --host <addr>         address to bind [CIRRUS_SIM_HOST] (default 127.0.0.1)
  -d, --data-dir <dir>      where state.json, images and clouds.yaml live [CIRRUS_SIM_DATA_DIR]
                            (default .cirrus/sim, relative to the current directory)
      --memory              keep state in memory only (clouds.yaml goes to a temp dir)
      --fast                asynchronous transitions in milliseconds [CIRRUS_SIM_FAST=1]
      --admin-password <p>  password of the "admin" user [CIRRUS_SIM_ADMIN_PASSWORD] (default ${DEFAULT_ADMIN_PASSWORD})
  -h, --help                show this text
`;

export class ConfigError extends Error {}

function truthy(value: string | undefined): boolean {
  return value !== undefined && ["1", "true", "yes", "on"].includes(value.toLowerCase());
}

function port(value: string, source: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    throw new ConfigError(`${source}: "${value}" is not a port number`);
  return Number(value);
}

export function loadConfig(
  argv: string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): SimConfig {
  const config: SimConfig = {
    port: env.CIRRUS_SIM_PORT ? port(env.CIRRUS_SIM_PORT, "CIRRUS_SIM_PORT") : DEFAULT_PORT,
    host: env.CIRRUS_SIM_HOST ?? "127.0.0.1",
    dataDir: resolve(cwd, env.CIRRUS_SIM_DATA_DIR ?? ".cirrus/sim"),
    fast: truthy(env.CIRRUS_SIM_FAST),
    adminPassword: env.CIRRUS_SIM_ADMIN_PASSWORD ?? DEFAULT_ADMIN_PASSWORD,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new ConfigError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "-p":
      case "--port":
        config.port = port(value(), flag);
        break;
      case "--host":
        config.host = value();
        break;
      case "-d":
      case "--data-dir":
        config.dataDir = resolve(cwd, value());
        break;
      case "--memory":
        config.dataDir = null;
        break;
      case "--fast":
        config.fast = true;
        break;
      case "--admin-password":
        config.adminPassword = value();
        break;
      case "-h":
      case "--help":
        config.help = true;
        break;
      default:
        throw new ConfigError(`unknown option ${arg}`);
    }
  }
  return config;
}
