// Joins class names, dropping falsy ones; later Tailwind classes win by order in the stylesheet,
// so primitives put the caller's className last.
export type ClassValue = string | false | null | undefined | 0;

export function cn(...values: ClassValue[]): string {
  return values.filter(Boolean).join(" ");
}
