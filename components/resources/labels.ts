// Resource labels: at most five key/value pairs with the same rules as the inventory service
// (server/services/inventory.ts), checked in the browser so the form says what is wrong first.

export const MAX_LABELS = 5;
export const LABEL_KEY = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/i;
export const MAX_LABEL_VALUE = 63;

export interface LabelPair {
  key: string;
  value: string;
}

export interface LabelErrors {
  /** Error per row index: on the key, the value, or both. */
  rows: Record<number, { key?: string; value?: string }>;
  /** An error about the set (too many). */
  form?: string;
}

export function validateLabelPairs(pairs: LabelPair[]): LabelErrors {
  const rows: LabelErrors["rows"] = {};
  const seen = new Map<string, number>();
  pairs.forEach((p, i) => {
    const k = p.key.trim();
    const err: { key?: string; value?: string } = {};
    if (!k) {
      if (p.value.trim()) err.key = "Enter a key";
    } else if (k.length > 63) err.key = "At most 63 characters";
    else if (!LABEL_KEY.test(k))
      err.key = "Letters, digits, and . _ - / inside; start and end with a letter or digit";
    else if (seen.has(k.toLowerCase())) err.key = "Duplicate key";
    if (k) seen.set(k.toLowerCase(), i);
    if (p.value.length > MAX_LABEL_VALUE) err.value = `At most ${MAX_LABEL_VALUE} characters`;
    if (err.key || err.value) rows[i] = err;
  });
  const filled = pairs.filter((p) => p.key.trim()).length;
  return {
    rows,
    ...(filled > MAX_LABELS ? { form: `At most ${MAX_LABELS} labels` } : {}),
  };
}

export function hasLabelErrors(errors: LabelErrors): boolean {
  return Boolean(errors.form) || Object.keys(errors.rows).length > 0;
}

export function pairsToLabels(pairs: LabelPair[]): Record<string, string> {
  return Object.fromEntries(pairs.filter((p) => p.key.trim()).map((p) => [p.key.trim(), p.value.trim()]));
}

export function labelsToPairs(labels: Record<string, string> | null | undefined): LabelPair[] {
  return Object.entries(labels ?? {}).map(([key, value]) => ({ key, value }));
}
