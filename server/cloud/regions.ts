// The cloud the portal drives: its regions and the tenancy operations, backed by the OpenStack
// provider. Registered once at start-up (real clouds.yaml, OS_* variables, or the embedded sim).
import { AppError } from "@/server/errors";

export interface UpstreamRefs {
  keystoneDomainId?: string;
  keystoneProjectId?: string;
}

export interface Cloud {
  regionNames(): string[];
  /** Availability zones per region, for the region selector and wizards. */
  zones(region: string): Promise<string[]>;
  ensureProject(
    region: string,
    org: { id: string; slug: string; name: string },
    project: { id: string; slug: string; name: string },
  ): Promise<UpstreamRefs>;
  deleteProject(region: string, keystoneProjectId: string): Promise<void>;
}

const holder = globalThis as unknown as { __cirrusCloud?: Cloud };

export function setCloud(cloud: Cloud | undefined): void {
  holder.__cirrusCloud = cloud;
}

export function getCloud(): Cloud {
  if (!holder.__cirrusCloud) {
    throw new AppError("UPSTREAM_UNAVAILABLE", "No cloud is configured yet", { transient: true });
  }
  return holder.__cirrusCloud;
}
