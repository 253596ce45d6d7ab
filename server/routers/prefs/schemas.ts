// Schemas shared by the preference procedures.
import { z } from "zod";
import { isoDate } from "../shared";
import { PAGE_SIZES, THEMES } from "@/server/services/prefs";

export const preferencesOutput = z.object({
  theme: z.enum(THEMES).describe("light | dark | system (follows the operating system)"),
  defaultOrg: z.string().nullable().describe("Slug of the organisation the console opens on"),
  defaultProject: z.string().nullable().describe("Slug of the project the console opens on (in defaultOrg)"),
  defaultRegion: z.string().nullable().describe("Region preselected in forms and lists"),
  tablePageSize: z
    .number()
    .int()
    .describe(`Rows per page in lists: one of ${PAGE_SIZES.join(", ")}`),
});

export const savedViewOutput = z.object({
  id: z.string().uuid(),
  kind: z.string().describe("The list the view belongs to (a resource kind id, e.g. iam.user)"),
  name: z.string(),
  query: z.string().describe("URL search string of the view (filters, sort, columns, view)"),
  createdAt: isoDate,
});

export const notificationOutput = z.object({
  id: z.string().uuid(),
  kind: z.string().describe("Machine kind, e.g. quota.request.approved"),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable().describe("Console path to open"),
  orgId: z.string().uuid().nullable(),
  readAt: isoDate.nullable(),
  createdAt: isoDate,
});

export function toSavedView(v: z.infer<typeof savedViewOutput> & Record<string, unknown>) {
  return { id: v.id, kind: v.kind, name: v.name, query: v.query, createdAt: v.createdAt };
}

export function toNotification(n: z.infer<typeof notificationOutput> & Record<string, unknown>) {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    link: n.link,
    orgId: n.orgId,
    readAt: n.readAt,
    createdAt: n.createdAt,
  };
}
