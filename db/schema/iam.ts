// Identity and access: users, organisations, projects, roles, bindings, sessions, API tokens.
import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  bigserial,
} from "drizzle-orm/pg-core";

const ts = (name?: string) =>
  name ? timestamp(name, { withTimezone: true }) : timestamp({ withTimezone: true });
const created = () => ts().notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text(),
    /** active | suspended | invited */
    status: text().notNull().default("active"),
    oidcIssuer: text(),
    oidcSubject: text(),
    inviteTokenHash: text(),
    inviteExpiresAt: ts(),
    lastLoginAt: ts(),
    createdAt: created(),
    updatedAt: created(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(sql`lower(${t.email})`),
    uniqueIndex("users_oidc_key").on(t.oidcIssuer, t.oidcSubject),
  ],
);

export const organizations = pgTable(
  "organizations",
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull(),
    name: text().notNull(),
    /** active | suspended */
    status: text().notNull().default("active"),
    createdAt: created(),
    updatedAt: created(),
  },
  (t) => [uniqueIndex("organizations_slug_key").on(t.slug)],
);

export const projects = pgTable(
  "projects",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    slug: text().notNull(),
    name: text().notNull(),
    description: text().notNull().default(""),
    /** provisioning | active | deleting | failed */
    status: text().notNull().default("provisioning"),
    /** Upstream references per region, e.g. { "region-one": { keystoneProjectId } }. */
    upstream: jsonb()
      .$type<Record<string, { keystoneProjectId?: string; keystoneDomainId?: string }>>()
      .notNull()
      .default({}),
    createdAt: created(),
    updatedAt: created(),
  },
  (t) => [uniqueIndex("projects_org_slug_key").on(t.orgId, t.slug), index("projects_org_idx").on(t.orgId)],
);

/** Belonging to an organisation; what a member may do comes from role bindings. */
export const memberships = pgTable(
  "memberships",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex("memberships_org_user_key").on(t.orgId, t.userId),
    index("memberships_user_idx").on(t.userId),
  ],
);

/** System roles have orgId null and isSystem true; custom roles belong to one organisation. */
export const roles = pgTable(
  "roles",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().references(() => organizations.id, { onDelete: "cascade" }),
    key: text().notNull(),
    name: text().notNull(),
    description: text().notNull().default(""),
    /** platform | org | project: the scopes the role can be bound at. */
    scopes: text().array().notNull(),
    permissions: text().array().notNull(),
    isSystem: boolean().notNull().default(false),
    createdBy: uuid(),
    createdAt: created(),
    updatedAt: created(),
  },
  (t) => [unique("roles_org_key_key").on(t.orgId, t.key).nullsNotDistinct()],
);

export const roleBindings = pgTable(
  "role_bindings",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    roleId: uuid()
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
    /** platform | org | project */
    scopeType: text().notNull(),
    orgId: uuid().references(() => organizations.id, { onDelete: "cascade" }),
    projectId: uuid().references(() => projects.id, { onDelete: "cascade" }),
    createdBy: uuid(),
    createdAt: created(),
  },
  (t) => [
    unique("role_bindings_unique").on(t.userId, t.roleId, t.orgId, t.projectId).nullsNotDistinct(),
    index("role_bindings_user_idx").on(t.userId),
    index("role_bindings_org_idx").on(t.orgId),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ip: text(),
    userAgent: text(),
    createdAt: created(),
    lastSeenAt: created(),
    expiresAt: ts().notNull(),
    revokedAt: ts(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** First characters of the token, to recognise it in lists; the rest is only hashed. */
    prefix: text().notNull(),
    hash: text().notNull(),
    orgId: uuid().references(() => organizations.id, { onDelete: "cascade" }),
    projectId: uuid().references(() => projects.id, { onDelete: "cascade" }),
    expiresAt: ts().notNull(),
    lastUsedAt: ts(),
    revokedAt: ts(),
    createdAt: created(),
  },
  (t) => [uniqueIndex("api_tokens_hash_key").on(t.hash), index("api_tokens_user_idx").on(t.userId)],
);

export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    key: text().notNull(),
    success: boolean().notNull(),
    createdAt: created(),
  },
  (t) => [index("login_attempts_key_idx").on(t.key, t.createdAt)],
);
