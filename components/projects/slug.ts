// Slug checks for project forms, with the service's own rules (server/services/slug.ts), so the
// form says what is wrong before the server does.
import { RESERVED_PROJECT_SLUGS, SLUG, slugify } from "@/server/services/slug";

export { slugify };
export const RESERVED_SLUGS = RESERVED_PROJECT_SLUGS;

/** Why a slug would be refused, or null. */
export function slugProblem(slug: string): string | null {
  if (!slug) return "Enter a slug";
  if (!SLUG.test(slug))
    return "Use 1-40 lowercase letters, digits and dashes, starting and ending with a letter or digit";
  if ((RESERVED_SLUGS as readonly string[]).includes(slug)) return `${slug} is reserved by the console`;
  return null;
}
