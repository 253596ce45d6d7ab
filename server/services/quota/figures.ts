// Quota figures per resource (limit, usage, reservations, health) built from rows, so the org and
// project views, the operator list and the UI all count the same way.
import {
  quotaHealth,
  quotaResourceNames,
  quotaResources,
  type QuotaResource,
} from "@/server/quota/resources";

export type Health = ReturnType<typeof quotaHealth>;
export type PerResource<T> = Record<QuotaResource, T>;
export type Limits = Partial<Record<QuotaResource, number>>;

export interface QuotaFigures {
  limits: PerResource<number>;
  usage: PerResource<number>;
  reserved: PerResource<number>;
  /** Health counts reservations too: they are already taken out of the limit. */
  health: PerResource<Health>;
}

export interface QuotaRowLike {
  resource: string;
  limit: number;
  used?: number;
  reserved?: number;
}

export function perResource<T>(value: (r: QuotaResource) => T): PerResource<T> {
  return Object.fromEntries(quotaResourceNames.map((r) => [r, value(r)])) as PerResource<T>;
}

export function figures(
  limits: PerResource<number>,
  usage: PerResource<number>,
  reserved: PerResource<number>,
): QuotaFigures {
  return {
    limits,
    usage,
    reserved,
    health: perResource((r) => quotaHealth(usage[r] + reserved[r], limits[r])),
  };
}

/** Figures of one project from its project_quotas rows; a missing row is a limit of 0. */
export function projectFigures(rows: QuotaRowLike[]): QuotaFigures {
  const by = new Map(rows.map((r) => [r.resource, r]));
  return figures(
    perResource((r) => Number(by.get(r)?.limit ?? 0)),
    perResource((r) => Number(by.get(r)?.used ?? 0)),
    perResource((r) => Number(by.get(r)?.reserved ?? 0)),
  );
}

/** Sums project rows per resource (org usage is the sum over its projects). */
export function sumRows(rows: QuotaRowLike[]): {
  allocated: PerResource<number>;
  usage: PerResource<number>;
  reserved: PerResource<number>;
} {
  const allocated = perResource(() => 0);
  const usage = perResource(() => 0);
  const reserved = perResource(() => 0);
  for (const row of rows) {
    if (!Object.hasOwn(quotaResources, row.resource)) continue;
    const r = row.resource as QuotaResource;
    allocated[r] += Number(row.limit);
    usage[r] += Number(row.used ?? 0);
    reserved[r] += Number(row.reserved ?? 0);
  }
  return { allocated, usage, reserved };
}

const ORDER: Health[] = ["ok", "warning", "critical", "exhausted"];

/** The worst health of a set (for an organisation's summary line). */
export function worstHealth(health: Partial<Record<QuotaResource, Health>>): Health {
  let worst: Health = "ok";
  for (const h of Object.values(health)) if (ORDER.indexOf(h) > ORDER.indexOf(worst)) worst = h;
  return worst;
}

/** An amount for messages: "200 GB" for volumeGb, "20" for instances. */
export function amount(resource: QuotaResource, n: number): string {
  const unit = quotaResources[resource].unit;
  return unit ? `${n} ${unit}` : String(n);
}
