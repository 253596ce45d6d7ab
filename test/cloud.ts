// The cloud of integration tests: by default the simulated cloud in process (random port, fast
// transitions, memory only); with CIRRUS_CONTRACT_CLOUD naming an entry of CIRRUS_CLOUDS_YAML, a
// real OpenStack region instead (the lab of ../shared/openstack-lab). Either way the provider and
// the portal's cloud point at it.
import { readFile } from "node:fs/promises";
import { configure } from "@/server/cloud/start";
import { setCloud } from "@/server/cloud/regions";
import { env } from "@/server/env";
import { parseCloudsYaml } from "@/server/providers/openstack/clouds-config";
import type { ResilienceTiming } from "@/server/providers/openstack/resilience";
import { startSim, type SimHandle } from "@/sim/server";

/** True when the tests run against a real cloud (sim-only steps such as fault injection skip). */
export const onRealCloud = Boolean(env.CIRRUS_CONTRACT_CLOUD);

export async function startTestCloud(timing?: Partial<ResilienceTiming>): Promise<SimHandle> {
  if (env.CIRRUS_CONTRACT_CLOUD) {
    const path = env.CIRRUS_CLOUDS_YAML;
    if (!path) throw new Error("CIRRUS_CONTRACT_CLOUD needs CIRRUS_CLOUDS_YAML");
    const regions = parseCloudsYaml(await readFile(path, "utf8")).filter(
      (r) => r.cloud === env.CIRRUS_CONTRACT_CLOUD,
    );
    if (regions.length === 0) throw new Error(`no cloud ${env.CIRRUS_CONTRACT_CLOUD} in ${path}`);
    configure(regions, timing);
    return {
      url: "",
      authUrl: "",
      regions: regions.map((r) => r.name),
      cloudsYamlPath: path,
      close: () => {
        setCloud(undefined);
        return Promise.resolve();
      },
    };
  }
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
