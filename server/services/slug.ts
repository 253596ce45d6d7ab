// Slug rules shared by the services and the forms (pure: safe to import in the browser), so a
// form and the API always agree on what a slug may be.

/** 1-40 lowercase letters, digits and dashes, starting and ending with a letter or digit. */
export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** Project slugs that clash with the console's routes under /[org]/ (a project "iam" would hide the IAM pages). */
export const RESERVED_PROJECT_SLUGS = [
  "projects",
  "iam",
  "activity",
  "quotas",
  "quota-requests",
  "jobs",
  "settings",
  "admin",
] as const;

/** Organisation slugs that clash with the console's top-level routes. */
export const RESERVED_ORG_SLUGS = ["sign-in", "settings", "admin", "api", "notifications", "_next"] as const;

/** "Ünïted Web" → "united-web": accents dropped (not turned into dashes), runs of others become one dash. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
}
