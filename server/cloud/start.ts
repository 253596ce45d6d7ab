// Chooses the cloud at start-up: a configured OpenStack (clouds.yaml or OS_*), or the embedded
// simulated cloud when none is configured. Either way the portal talks to it through the same
// OpenStack provider over HTTP.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { env } from "@/server/env";
import { log } from "@/server/log";
import { configureOpenStack, getOpenStack } from "@/server/providers/openstack/client";
import type { ResilienceTiming } from "@/server/providers/openstack/resilience";
import { loadRegions, parseCloudsYaml, type RegionConfig } from "@/server/providers/openstack/clouds-config";
import { deleteProject, ensureOrgDomain, ensureProject } from "@/server/providers/openstack/tenancy";
import { setCloud, type Cloud } from "./regions";

export interface StartedCloud {
  description: string;
  stop(): Promise<void>;
}

const zoneCache = new Map<string, { zones: string[]; until: number }>();

function openStackCloud(): Cloud {
  return {
    regionNames: () => getOpenStack().regionNames(),
    async zones(region) {
      const hit = zoneCache.get(region);
      if (hit && hit.until > Date.now()) return hit.zones;
      const list = await getOpenStack().admin(region).compute.listAvailabilityZones();
      const zones = list
        .filter((z) => z.zoneState?.available !== false)
        .map((z) => z.zoneName)
        .sort();
      zoneCache.set(region, { zones, until: Date.now() + 60_000 });
      return zones;
    },
    async ensureProject(region, org, project) {
      const domain = await ensureOrgDomain(region, { orgId: org.id, slug: org.slug, name: org.name });
      const p = await ensureProject(region, {
        domainId: domain.id,
        projectId: project.id,
        slug: project.slug,
        name: project.name,
      });
      return { keystoneDomainId: domain.id, keystoneProjectId: p.id };
    },
    deleteProject: (region, keystoneProjectId) => deleteProject(region, keystoneProjectId),
  };
}

export function configure(regions: RegionConfig[], timing?: Partial<ResilienceTiming>): void {
  configureOpenStack({
    regions,
    ...(timing ? { timing } : {}),
    logger: { debug: (msg, f) => log.debug(msg, f), warn: (msg, f) => log.warn(msg, f) },
  });
  setCloud(openStackCloud());
}

export async function startCloud(): Promise<StartedCloud> {
  const configured = loadRegions();
  if (configured.length > 0) {
    configure(configured);
    return {
      description: `OpenStack regions ${configured.map((r) => `${r.name} (${r.authUrl})`).join(", ")}`,
      stop: async () => undefined,
    };
  }
  // No cloud configured: the simulated one, on its own port, with its state under the data dir.
  const { startSim } = await import("@/sim/server");
  const sim = await startSim({
    port: env.CIRRUS_SIM_PORT,
    dataDir: path.resolve(env.CIRRUS_DATA_DIR, "sim"),
    fast: env.CIRRUS_SIM_FAST,
  });
  if (!sim.cloudsYamlPath) throw new Error("the simulated cloud wrote no clouds.yaml");
  const regions = parseCloudsYaml(await readFile(sim.cloudsYamlPath, "utf8"), { source: sim.cloudsYamlPath });
  configure(regions);
  log.info("simulated cloud started", { url: sim.url, regions: sim.regions, cloudsYaml: sim.cloudsYamlPath });
  return {
    description: `simulated cloud at ${sim.url} (regions ${sim.regions.join(", ")}; clouds.yaml: ${sim.cloudsYamlPath})`,
    stop: () => sim.close(),
  };
}
