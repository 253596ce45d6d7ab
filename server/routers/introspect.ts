// The flat table of procedures (path → type and meta), for the REST routes, the OpenAPI
// document and the test that every procedure declares a permission.
import type { Meta } from "@/server/trpc";
import { appRouter } from "./_app";

export interface ProcedureInfo {
  path: string;
  type: "query" | "mutation" | "subscription";
  meta: Meta | undefined;
}

export function listProcedures(): ProcedureInfo[] {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: Meta; type: ProcedureInfo["type"] } }
  >;
  return Object.entries(procedures).map(([path, p]) => ({ path, type: p._def.type, meta: p._def.meta }));
}
