// The simulated cloud for integration tests: in process, random port, fast transitions, memory
// only, with the provider and the portal's cloud pointed at it.
import { readFile } from "node:fs/promises";
import { configure } from "@/server/cloud/start";
import { setCloud } from "@/server/cloud/regions";
import { parseCloudsYaml } from "@/server/providers/openstack/clouds-config";
import type { ResilienceTiming } from "@/server/providers/openstack/resilience";
import { startSim, type SimHandle } from "@/sim/server";

export async function startTestCloud(timing?: Partial<ResilienceTiming>): Promise<SimHandle> {
  const sim = await startSim({ port: 0, dataDir: null, fast: true });
  if (!sim.cloudsYamlPath) throw new Error("the sim wrote no clouds.yaml");
  configure(parseCloudsYaml(await readFile(sim.cloudsYamlPath, "utf8")), timing);
  return {
    ...sim,
    close: async () => {
      setCloud(undefined);
      await sim.close();
    },
  };
}
