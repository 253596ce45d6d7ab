// Service catalog lookups: service types and their aliases, region + interface filtering, and the
// API root our paths are relative to (catalogs list Neutron and Glance without their version).
import { z } from "zod";
import type { EndpointInterface } from "./clouds-config";

export const catalogEndpointSchema = z.looseObject({
  url: z.string(),
  interface: z.string(),
  region: z.string().nullish(),
  region_id: z.string().nullish(),
  id: z.string().optional(),
});

export const catalogEntrySchema = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  id: z.string().optional(),
  endpoints: z.array(catalogEndpointSchema),
});

export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

/** Service types the console uses, with the older names still found in catalogs. */
export const serviceAliases = {
  compute: ["compute"],
  network: ["network"],
  "block-storage": ["block-storage", "volumev3", "volume", "block-store", "volumev2"],
  image: ["image"],
  identity: ["identity"],
  "load-balancer": ["load-balancer"],
  "shared-file-system": ["shared-file-system", "sharev2", "share"],
  "object-store": ["object-store"],
  placement: ["placement"],
  prometheus: ["prometheus", "metric"],
} as const;

export type ServiceType = keyof typeof serviceAliases;

/** Names for messages ("the compute service is unavailable"). */
export const serviceLabels: Record<ServiceType, string> = {
  compute: "compute",
  network: "network",
  "block-storage": "block storage",
  image: "image",
  identity: "identity",
  "load-balancer": "load balancer",
  "shared-file-system": "file share",
  "object-store": "object storage",
  placement: "placement",
  prometheus: "metrics",
};

export function canonicalServiceType(t: string): ServiceType | undefined {
  for (const [canonical, aliases] of Object.entries(serviceAliases)) {
    if ((aliases as readonly string[]).includes(t)) return canonical as ServiceType;
  }
  return undefined;
}

/** The raw catalog URL of a service in a region, or undefined when absent. */
export function findCatalogUrl(
  catalog: readonly CatalogEntry[],
  type: ServiceType,
  region: string,
  iface: EndpointInterface,
): string | undefined {
  for (const alias of serviceAliases[type]) {
    for (const entry of catalog) {
      if (entry.type !== alias) continue;
      const inRegion = entry.endpoints.filter(
        (e) => (e.region_id ?? e.region ?? region) === region || e.region === region,
      );
      const match =
        inRegion.find((e) => e.interface === iface) ?? inRegion.find((e) => e.interface === "public");
      if (match) return match.url;
    }
  }
  return undefined;
}

/**
 * The API root our request paths are relative to: compute `.../v2.1`, network `.../v2.0`,
 * image `.../v2`, block storage `.../v3/{project_id}`, identity `.../v3`, load balancer `.../v2`,
 * prometheus without `/api/v1`.
 */
export function apiRoot(type: ServiceType, url: string, projectId: string | undefined): string {
  const u = url.replace(/\/+$/, "");
  switch (type) {
    case "compute":
      return /\/v2(\.1)?(\/[^/]+)?$/.test(u) ? u : `${u}/v2.1`;
    case "network":
      return /\/v2\.0$/.test(u) ? u : `${u}/v2.0`;
    case "image":
      return /\/v2$/.test(u) ? u : `${u}/v2`;
    case "identity":
      return /\/v3$/.test(u) ? u : `${u}/v3`;
    case "load-balancer":
      return /\/v2(\.0)?$/.test(u) ? u : `${u}/v2`;
    case "block-storage":
      // Since 3.67 the project id may be left out of catalog URLs; our microversion wants it
      if (/\/v3$/.test(u) && projectId) return `${u}/${projectId}`;
      return /\/v[23](\/[^/]+)?$/.test(u) ? u : projectId ? `${u}/v3/${projectId}` : `${u}/v3`;
    case "prometheus":
      return u.replace(/\/api\/v1$/, "");
    default:
      return u;
  }
}
