// The real `openstack` CLI (python3-openstackclient) against the sim: a scripted session from
// token issue to server resize, volumes and floating IPs, then deleting everything. Every step
// must pass; a failure prints the command with its output (rerun it with --debug to see HTTP).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSim } from "./server";
import type { SimHandle } from "./server";

const OPENSTACK = "/usr/bin/openstack";
const STEP_MS = 180_000;
let sim: SimHandle;
let dir: string;

interface Run {
  stdout: string;
  stderr: string;
}

function openstack(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      OPENSTACK,
      args,
      {
        env: {
          ...process.env,
          OS_CLIENT_CONFIG_FILE: sim.cloudsYamlPath ?? "",
          OS_CLOUD: "cirrus-sim-region-one",
          PYTHONWARNINGS: "ignore",
        },
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err)
          reject(
            new Error(
              `openstack ${args.join(" ")} failed (${err.message})\nstdout:\n${stdout}\nstderr:\n${stderr}`,
            ),
          );
        else resolve({ stdout, stderr });
      },
    );
  });
}

async function json<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const { stdout } = await openstack(...args, "-f", "json");
  return JSON.parse(stdout) as T;
}

async function value(...args: string[]): Promise<string> {
  return (await openstack(...args, "-f", "value")).stdout.trim();
}

/** Polls `openstack <kind> show <name> -c <field>` until it reads `want`. */
async function until(
  kind: string[],
  name: string,
  field: string,
  want: string,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    last = await value(...kind, "show", name, "-c", field);
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${kind.join(" ")} ${name}: ${field} stayed "${last}", wanted "${want}"`);
}

async function gone(kind: string[], name: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const names = (await value(...kind, "list", "-c", "Name")).split("\n");
    if (!names.includes(name)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${kind.join(" ")} ${name} is still there`);
}

beforeAll(async () => {
  if (!existsSync(OPENSTACK)) {
    throw new Error(
      `${OPENSTACK} is missing: install the openstack CLI (apt-get install -y python3-openstackclient) to run this test`,
    );
  }
  dir = mkdtempSync(join(tmpdir(), "cirrus-sim-cli-"));
  sim = await startSim({ port: 0, fast: true, dataDir: join(dir, "data") });
}, STEP_MS);

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, STEP_MS);

describe("openstack CLI against the sim", { sequential: true }, () => {
  let fip = "";

  it(
    "issues a token and lists the catalog",
    async () => {
      const token = await json("token", "issue");
      expect(String(token.id)).toMatch(/^gAAAAA/);
      expect(token.project_id).toMatch(/^[0-9a-f]{32}$/);
      const catalog = await json<{ Name: string; Type: string }[]>("catalog", "list");
      expect(catalog.map((c) => c.Type)).toEqual(
        expect.arrayContaining(["identity", "compute", "network", "image", "volumev3", "prometheus"]),
      );
    },
    STEP_MS,
  );

  it(
    "creates an image from a file and lists it",
    async () => {
      const file = join(dir, "disk.raw");
      writeFileSync(file, Buffer.alloc(64 * 1024, 7));
      // openstacksdk prints the image as the POST answered (queued), then uploads: show it again.
      const created = await json(
        "image",
        "create",
        "--file",
        file,
        "--disk-format",
        "raw",
        "--container-format",
        "bare",
        "cli-image",
      );
      expect(created.name).toBe("cli-image");
      const image = await json("image", "show", "cli-image");
      expect(image.status).toBe("active");
      expect(image.size).toBe(64 * 1024);
      const images = await json<{ Name: string }[]>("image", "list");
      expect(images.map((i) => i.Name)).toContain("cli-image");
    },
    STEP_MS,
  );

  it(
    "creates and lists flavors",
    async () => {
      const tiny = await json("flavor", "create", "--ram", "256", "--disk", "1", "--vcpus", "1", "cli.tiny");
      expect(tiny.name).toBe("cli.tiny");
      await json("flavor", "create", "--ram", "512", "--disk", "2", "--vcpus", "1", "cli.small");
      const flavors = await json<{ Name: string }[]>("flavor", "list");
      expect(flavors.map((f) => f.Name)).toEqual(
        expect.arrayContaining(["cli.tiny", "cli.small", "m1.tiny"]),
      );
    },
    STEP_MS,
  );

  it(
    "builds a network, subnet and router with an external gateway",
    async () => {
      await json("network", "create", "cli-net");
      const subnet = await json(
        "subnet",
        "create",
        "--network",
        "cli-net",
        "--subnet-range",
        "10.99.0.0/24",
        "cli-subnet",
      );
      expect(subnet.cidr).toBe("10.99.0.0/24");
      await json("router", "create", "cli-router");
      await openstack("router", "set", "--external-gateway", "public", "cli-router");
      await openstack("router", "add", "subnet", "cli-router", "cli-subnet");
      const router = await json("router", "show", "cli-router");
      expect(JSON.stringify(router.external_gateway_info)).toContain("network_id");
      expect(JSON.stringify(router.interfaces_info)).toContain("10.99.0.1");
    },
    STEP_MS,
  );

  it(
    "creates a security group with a rule, a floating IP and a key pair",
    async () => {
      await json("security", "group", "create", "cli-sg");
      const rule = await json(
        "security",
        "group",
        "rule",
        "create",
        "--proto",
        "tcp",
        "--dst-port",
        "22",
        "cli-sg",
      );
      expect(rule.port_range_min).toBe(22);
      const ip = await json("floating", "ip", "create", "public");
      fip = String(ip.floating_ip_address);
      expect(fip).toMatch(/^172\.24\.4\.\d+$/);
      const key = await openstack("keypair", "create", "cli-key");
      expect(key.stdout).toContain("PRIVATE KEY");
    },
    STEP_MS,
  );

  it(
    "creates a server and waits for it, then shows and lists it",
    async () => {
      const server = await json(
        "server",
        "create",
        "--flavor",
        "cli.tiny",
        "--image",
        "cli-image",
        "--network",
        "cli-net",
        "--key-name",
        "cli-key",
        "--security-group",
        "cli-sg",
        "--wait",
        "cli-vm",
      );
      expect(server.status).toBe("ACTIVE");
      await openstack("server", "add", "floating", "ip", "cli-vm", fip);
      const shown = await json("server", "show", "cli-vm");
      expect(JSON.stringify(shown.addresses)).toContain(fip);
      expect(shown.key_name).toBe("cli-key");
      expect(JSON.stringify(shown.security_groups)).toContain("cli-sg");
      const servers = await json<{ Name: string; Status: string }[]>("server", "list");
      expect(servers).toEqual(
        expect.arrayContaining([expect.objectContaining({ Name: "cli-vm", Status: "ACTIVE" })]),
      );
    },
    STEP_MS,
  );

  it(
    "stops, starts and reboots (soft and hard)",
    async () => {
      await openstack("server", "stop", "cli-vm");
      await until(["server"], "cli-vm", "status", "SHUTOFF");
      await openstack("server", "start", "cli-vm");
      await until(["server"], "cli-vm", "status", "ACTIVE");
      await openstack("server", "reboot", "--soft", "--wait", "cli-vm");
      await until(["server"], "cli-vm", "status", "ACTIVE");
      await openstack("server", "reboot", "--hard", "--wait", "cli-vm");
      await until(["server"], "cli-vm", "status", "ACTIVE");
    },
    STEP_MS,
  );

  it(
    "resizes and confirms the resize",
    async () => {
      await openstack("server", "resize", "--flavor", "cli.small", "--wait", "cli-vm");
      await until(["server"], "cli-vm", "status", "VERIFY_RESIZE");
      await openstack("server", "resize", "confirm", "cli-vm");
      await until(["server"], "cli-vm", "status", "ACTIVE");
      expect(await value("server", "show", "cli-vm", "-c", "flavor")).toContain("cli.small");
    },
    STEP_MS,
  );

  it(
    "shows the console log",
    async () => {
      const log = await openstack("console", "log", "show", "cli-vm");
      expect(log.stdout).toContain("login:");
    },
    STEP_MS,
  );

  it(
    "creates a volume, attaches and detaches it, and snapshots it",
    async () => {
      await json("volume", "create", "--size", "1", "cli-vol");
      await until(["volume"], "cli-vol", "status", "available");
      await openstack("server", "add", "volume", "cli-vm", "cli-vol");
      await until(["volume"], "cli-vol", "status", "in-use");
      await openstack("server", "remove", "volume", "cli-vm", "cli-vol");
      await until(["volume"], "cli-vol", "status", "available");
      await json("volume", "snapshot", "create", "--volume", "cli-vol", "cli-snap");
      await until(["volume", "snapshot"], "cli-snap", "status", "available");
    },
    STEP_MS,
  );

  it(
    "deletes everything it created",
    async () => {
      await openstack("volume", "snapshot", "delete", "cli-snap");
      await gone(["volume", "snapshot"], "cli-snap");
      await openstack("volume", "delete", "cli-vol");
      await gone(["volume"], "cli-vol");
      await openstack("server", "remove", "floating", "ip", "cli-vm", fip);
      await openstack("floating", "ip", "delete", fip);
      await openstack("server", "delete", "--wait", "cli-vm");
      await gone(["server"], "cli-vm");
      await openstack("router", "remove", "subnet", "cli-router", "cli-subnet");
      await openstack("router", "unset", "--external-gateway", "cli-router");
      await openstack("router", "delete", "cli-router");
      await openstack("subnet", "delete", "cli-subnet");
      await openstack("network", "delete", "cli-net");
      await openstack("security", "group", "delete", "cli-sg");
      await openstack("keypair", "delete", "cli-key");
      await openstack("flavor", "delete", "cli.tiny", "cli.small");
      await openstack("image", "delete", "cli-image");
      expect(await value("server", "list")).toBe("");
      expect(await value("volume", "list")).toBe("");
      expect((await value("network", "list", "-c", "Name")).split("\n")).toEqual(["public"]);
    },
    STEP_MS,
  );
});
