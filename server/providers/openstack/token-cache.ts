// Caches scoped tokens per key (region + scope) and renews them before they expire. Requests are
// single-flight: concurrent callers of one key share one auth request.

export interface ExpiringToken {
  value: string;
  /** Local-clock epoch ms (corrected for skew by the issuer). */
  expiresAt: number;
}

export interface TokenCacheOptions {
  /** Renew when less than this is left (default 5 min). */
  renewBeforeMs?: number;
  /** A token this close to expiry is never handed out (default 30 s). */
  minUsableMs?: number;
  now?: () => number;
  onBackgroundError?: (key: string, error: unknown) => void;
}

export class TokenCache<T extends ExpiringToken> {
  private readonly tokens = new Map<string, T>();
  private readonly inflight = new Map<string, Promise<T>>();
  private readonly renewBeforeMs: number;
  private readonly minUsableMs: number;
  private readonly now: () => number;

  constructor(
    private readonly issue: (key: string) => Promise<T>,
    private readonly opts: TokenCacheOptions = {},
  ) {
    this.renewBeforeMs = opts.renewBeforeMs ?? 5 * 60_000;
    this.minUsableMs = Math.min(opts.minUsableMs ?? 30_000, this.renewBeforeMs);
    this.now = opts.now ?? Date.now;
  }

  /**
   * A token with more than renewBeforeMs left is returned as is. Inside the renewal window the
   * current token is still handed out while one renewal runs in the background; only a token
   * too close to expiry (or none) makes the caller wait for the shared request.
   */
  async get(key: string): Promise<T> {
    const current = this.tokens.get(key);
    const left = current ? current.expiresAt - this.now() : -1;
    if (current && left > this.renewBeforeMs) return current;
    if (current && left > this.minUsableMs) {
      this.renew(key).catch((e: unknown) => this.opts.onBackgroundError?.(key, e));
      return current;
    }
    return this.renew(key);
  }

  /** Drops a token the upstream refused (401). Only that exact token, so a fresh one survives. */
  invalidate(key: string, value?: string): void {
    const current = this.tokens.get(key);
    if (current && (value === undefined || current.value === value)) this.tokens.delete(key);
  }

  /** Starts (or joins) the one renewal of `key`. */
  renew(key: string): Promise<T> {
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const p = this.issue(key)
      .then((token) => {
        this.tokens.set(key, token);
        this.evictExpired();
        return token;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  peek(key: string): T | undefined {
    return this.tokens.get(key);
  }

  clear(): void {
    this.tokens.clear();
  }

  get size(): number {
    return this.tokens.size;
  }

  private evictExpired(): void {
    const now = this.now();
    for (const [k, t] of this.tokens) if (t.expiresAt <= now) this.tokens.delete(k);
  }
}
