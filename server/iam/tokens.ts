// Opaque secrets (API tokens, session ids, invitations): random, shown once, stored as SHA-256.
import { createHash, randomBytes } from "node:crypto";

export const TOKEN_PREFIX = "cirrus_";

export function newToken(): { token: string; prefix: string; hash: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return { token, prefix: token.slice(0, TOKEN_PREFIX.length + 6), hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function newSessionId(): string {
  return randomBytes(32).toString("base64url");
}
