// State survives a restart: resources, tokens and image bytes come back from <dataDir>, and
// transitions that were in flight when the sim stopped finish after it starts again.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  at,
  bootServer,
  imageId,
  loginAdmin,
  makeNetwork,
  request,
  startTestSim,
  text,
  waitFor,
  waitServer,
} from "./test-support";
import { Session } from "./test-support";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cirrus-sim-test-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("persistence", () => {
  it("brings back servers, networks, tokens and image data after a restart", async () => {
    const dataDir = tempDir();
    let sim = await startTestSim({ dataDir });
    expect(sim.cloudsYamlPath).toBe(join(dataDir, "clouds.yaml"));
    const admin = await loginAdmin(sim);
    const net = await makeNetwork(admin, "kept");
    const id = await bootServer(admin, "survivor", net.networkId);
    await admin.nova("POST", `/servers/${id}/action`, { "os-stop": null });
    await waitServer(admin, id, "SHUTOFF");
    const img = await admin.call("POST", "image", "/images", {
      body: { name: "blob", disk_format: "raw", container_format: "bare" },
    });
    const imgId = text(img.body, "id");
    const upload = await admin.call("PUT", "image", `/images/${imgId}/file`, {
      raw: Buffer.from("hello image"),
      headers: { "Content-Type": "application/octet-stream" },
    });
    expect(upload.status).toBe(204);
    await waitFor(
      "state.json",
      async () => existsSync(join(dataDir, "state.json")),
      (x) => x,
    );
    await sim.close();

    sim = await startTestSim({ dataDir });
    const again = new Session(sim, admin.token, admin.projectId, admin.userId);
    const s = await again.nova("GET", `/servers/${id}`);
    expect(s.status).toBe(200);
    expect(at(s.body, "server.status")).toBe("SHUTOFF");
    expect(at(s.body, "server.addresses.kept.0.OS-EXT-IPS:type")).toBe("fixed");
    expect(at((await again.call("GET", "network", `/networks/${net.networkId}`)).body, "network.name")).toBe(
      "kept",
    );
    const data = await fetch(again.url("image", `/images/${imgId}/file`), {
      headers: { "X-Auth-Token": again.token },
    });
    expect(await data.text()).toBe("hello image");
    await again.nova("POST", `/servers/${id}/action`, { "os-start": null });
    await waitServer(again, id, "ACTIVE");
    await sim.close();
    const saved = JSON.parse(readFileSync(join(dataDir, "state.json"), "utf8")) as {
      version: number;
      transitions: unknown[];
    };
    expect(saved.version).toBe(1);
    expect(saved.transitions).toEqual([]);
  });

  it("resumes transitions that were in flight when the sim stopped", async () => {
    const dataDir = tempDir();
    let sim = await startTestSim({ dataDir });
    const admin = await loginAdmin(sim);
    const cirros = await imageId(admin, "cirros-0.6.2");
    // Stop the transition clock and close: the state file keeps the pending transitions.
    await request("POST", `${sim.url}/_sim/scheduler`, { body: { paused: true } });
    const server = await admin.nova("POST", "/servers", {
      server: { name: "half-built", flavorRef: "1", imageRef: cirros, networks: "none" },
    });
    const volume = await admin.call("POST", "volume", "/volumes", { body: { volume: { size: 1 } } });
    const ids = { server: text(server.body, "server.id"), volume: text(volume.body, "volume.id") };
    await sim.close();
    const saved = JSON.parse(readFileSync(join(dataDir, "state.json"), "utf8")) as {
      transitions: { target: string }[];
    };
    expect(saved.transitions.map((t) => t.target)).toEqual(expect.arrayContaining([ids.server, ids.volume]));

    sim = await startTestSim({ dataDir });
    const again = new Session(sim, admin.token, admin.projectId, admin.userId);
    await waitServer(again, ids.server, "ACTIVE");
    const v = await waitFor(
      "volume",
      () => again.call("GET", "volume", `/volumes/${ids.volume}`),
      (r) => at(r.body, "volume.status") === "available",
    );
    expect(at(v.body, "volume.size")).toBe(1);
    await sim.close();
  });

  it("starts from the seed when the data dir is empty, memory-only when it is null", async () => {
    const mem = await startTestSim({ dataDir: null });
    expect(mem.cloudsYamlPath).toMatch(/cirrus-sim-.*clouds\.yaml$/);
    const path = mem.cloudsYamlPath ?? "";
    expect(existsSync(path)).toBe(true);
    await mem.close();
    expect(existsSync(path)).toBe(false);
    const res = await request("GET", `${mem.url}/`).catch(() => null);
    expect(res).toBeNull();
  });
});
