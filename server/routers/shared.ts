// Schemas shared by procedures: pagination, timestamps, and the common output shapes.
import { z } from "zod";

export const pageInput = {
  limit: z.coerce.number().int().min(1).max(500).default(50).describe("Page size (1-500)"),
  cursor: z.string().max(512).optional().describe("Opaque cursor from the previous page's nextCursor"),
};

export function page<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe("Pass as cursor for the next page"),
  });
}

export const isoDate = z.date().describe("RFC 3339 timestamp");

/** Keyset cursors: base64url of the sort key and id of the last row. */
export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): (string | number)[] | null {
  if (!cursor) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number") ? v : null;
  } catch {
    return null;
  }
}

export const jobSummary = z.object({
  id: z.string().uuid(),
  kind: z.string(),
  state: z.enum(["PENDING", "RUNNING", "RETRYING", "SUCCEEDED", "FAILED"]),
});

export const projectOutput = z.object({
  id: z.string().uuid(),
  orgId: z.string().uuid(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  status: z.string().describe("provisioning | active | deleting | failed"),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const orgOutput = z.object({
  id: z.string().uuid(),
  slug: z.string(),
  name: z.string(),
  status: z.string(),
  createdAt: isoDate,
});

export function toProject(
  p: z.infer<typeof projectOutput> & Record<string, unknown>,
): z.infer<typeof projectOutput> {
  return {
    id: p.id,
    orgId: p.orgId,
    slug: p.slug,
    name: p.name,
    description: p.description,
    status: p.status,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function toOrg(o: z.infer<typeof orgOutput> & Record<string, unknown>): z.infer<typeof orgOutput> {
  return { id: o.id, slug: o.slug, name: o.name, status: o.status, createdAt: o.createdAt };
}

export const nameSchema = z.string().trim().min(1).max(64);
export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "use 1-40 lowercase letters, digits and dashes");
