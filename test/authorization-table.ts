// The expected authorisation table: for every procedure of the router, which personas may call
// it and with what input. Add a row with every new procedure; the matrix test fails without one.
import type { Db } from "@/db/client";
import { createOrganization } from "@/server/services/orgs";
import { createProject } from "@/server/services/projects";
import { systemActor } from "@/server/audit/actor";
import type { Demo, Persona } from "./personas";

export interface Fixtures {
  db: Db;
  demo: Demo;
  /** A unique suffix per call, for creates. */
  unique(): string;
  /** A fresh empty project in acme (for renames and deletes that must not disturb others). */
  freshProject(): Promise<{ id: string; slug: string }>;
  freshOrg(): Promise<{ id: string; slug: string }>;
}

export interface MatrixRow {
  allow: readonly Persona[];
  input: (fx: Fixtures) => unknown;
}

const AUTHENTICATED: Persona[] = [
  "platformAdmin",
  "orgAdmin",
  "projectAdmin",
  "member",
  "reader",
  "projectReader",
  "customNoPermission",
  "otherOrg",
];
const EVERYONE: Persona[] = [...AUTHENTICATED, "suspended", "anonymous"];
const PLATFORM: Persona[] = ["platformAdmin"];
const ACME_ADMINS: Persona[] = ["platformAdmin", "orgAdmin"];
const ACME_READERS: Persona[] = [...ACME_ADMINS, "reader"];
/** Anyone with a role somewhere in acme (org or project level). */
const ACME_ANY: Persona[] = [...ACME_READERS, "projectAdmin", "member", "projectReader"];
const WEB_ADMINS: Persona[] = [...ACME_ADMINS, "projectAdmin"];
const WEB_WRITERS: Persona[] = [...WEB_ADMINS, "member"];
const WEB_READERS: Persona[] = [...WEB_WRITERS, "reader", "projectReader"];

export const personaSets = {
  AUTHENTICATED,
  EVERYONE,
  PLATFORM,
  ACME_ADMINS,
  ACME_READERS,
  ACME_ANY,
  WEB_ADMINS,
  WEB_WRITERS,
  WEB_READERS,
};

export function makeFixtures(db: Db, demo: Demo): Fixtures {
  let n = 0;
  const unique = () => `m${Date.now().toString(36)}${(n++).toString(36)}`;
  return {
    db,
    demo,
    unique,
    async freshProject() {
      const { project } = await db.transaction((tx) =>
        createProject(tx, systemActor("fixture"), demo.acme, { name: unique() }),
      );
      return { id: project.id, slug: project.slug };
    },
    async freshOrg() {
      const org = await db.transaction((tx) =>
        createOrganization(tx, systemActor("fixture"), { name: unique() }),
      );
      return { id: org.id, slug: org.slug };
    },
  };
}

export const matrix: Record<string, MatrixRow> = {
  "common.getHealth": { allow: EVERYONE, input: () => ({}) },
  "common.createToken": {
    allow: EVERYONE,
    // Public: the credentials decide, not the caller. A wrong password is refused for everyone alike (checked elsewhere).
    input: () => ({ email: "admin@acme.example", password: "cirrus-demo", name: "matrix" }),
  },
  "common.getMe": { allow: AUTHENTICATED, input: () => ({}) },
  "common.listMyOrganizations": { allow: AUTHENTICATED, input: () => ({}) },
  "resourcemanager.listProjects": { allow: ACME_ANY, input: () => ({ org: "acme" }) },
  "resourcemanager.createProject": {
    allow: ACME_ADMINS,
    input: (fx) => ({ org: "acme", name: fx.unique() }),
  },
  "resourcemanager.getProject": { allow: WEB_READERS, input: (fx) => ({ project: fx.demo.web.id }) },
  "resourcemanager.updateProject": {
    allow: WEB_ADMINS,
    input: (fx) => ({ project: fx.demo.web.id, description: fx.unique() }),
  },
  "resourcemanager.deleteProject": {
    allow: ACME_ADMINS,
    input: async (fx) => ({ project: (await fx.freshProject()).id }),
  },
};
