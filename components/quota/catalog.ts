// The quota catalogue as the pages show it: resources grouped by service in a fixed order, and
// amounts with their unit.
import { quotaResourceNames, quotaResources, type QuotaResource } from "@/server/quota/resources";

export type { QuotaResource };
export { quotaResources, quotaResourceNames };

export const SERVICE_ORDER = ["Compute", "Storage", "Network", "Kubernetes", "Registry"] as const;

export interface ServiceGroup {
  service: string;
  resources: QuotaResource[];
}

export const serviceGroups: ServiceGroup[] = SERVICE_ORDER.map((service) => ({
  service,
  resources: quotaResourceNames.filter((r) => quotaResources[r].service === service),
})).filter((g) => g.resources.length > 0);

export const resourceLabel = (r: QuotaResource): string => quotaResources[r].label;
export const resourceUnit = (r: QuotaResource): string => quotaResources[r].unit;

export function formatAmount(r: QuotaResource, n: number): string {
  const unit = quotaResources[r].unit;
  return unit ? `${n.toLocaleString("en")} ${unit}` : n.toLocaleString("en");
}

export function isQuotaResourceName(v: string): v is QuotaResource {
  return Object.hasOwn(quotaResources, v);
}

/** Resource options for a picker, grouped by service in the label ("Compute · vCPUs"). */
export const resourceOptions = serviceGroups.flatMap((g) =>
  g.resources.map((r) => ({ value: r, label: `${g.service} · ${resourceLabel(r)}` })),
);
