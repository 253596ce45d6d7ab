// Client-side slug rules for project forms, mirroring the service (server/services/projects.ts),
// so the form can say what is wrong before the server does.
export const RESERVED_SLUGS = [
  "projects",
  "iam",
  "activity",
  "quotas",
  "quota-requests",
  "jobs",
  "settings",
  "admin",
] as const;

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
}

/** Why a slug would be refused, or null. */
export function slugProblem(slug: string): string | null {
  if (!slug) return "Enter a slug";
  if (!SLUG.test(slug))
    return "Use 1-40 lowercase letters, digits and dashes, starting and ending with a letter or digit";
  if ((RESERVED_SLUGS as readonly string[]).includes(slug)) return `${slug} is reserved by the console`;
  return null;
}
