// Per-user state kept server-side: preferences, saved table views, notifications.
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./iam";

const created = () => timestamp({ withTimezone: true }).notNull().defaultNow();

export const userPreferences = pgTable("user_preferences", {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  prefs: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: created(),
});

export const savedViews = pgTable(
  "saved_views",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    name: text().notNull(),
    /** The list's URL search string (filters, sort, columns, view). */
    query: text().notNull(),
    createdAt: created(),
  },
  (t) => [index("saved_views_user_idx").on(t.userId, t.kind)],
);

export const notifications = pgTable(
  "notifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid(),
    kind: text().notNull(),
    title: text().notNull(),
    body: text().notNull().default(""),
    link: text(),
    readAt: timestamp({ withTimezone: true }),
    createdAt: created(),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.createdAt.desc())],
);
