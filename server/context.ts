// Builds the per-request context from a Node request: request id, client address, and the
// principal from an API token (Authorization: Bearer) or the session cookie.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { getDb, type Db } from "@/db/client";
import type { Actor } from "./audit/actor";
import {
  loadGrants,
  principalFromSession,
  principalFromToken,
  type Grants,
  type Principal,
} from "./iam/access";
import { readSessionId } from "./auth/session-cookie";

export interface Context {
  db: Db;
  requestId: string;
  principal: Principal | null;
  grants: Grants | null;
  actor: Actor;
  /** Idempotency-Key header of a REST create, if any. */
  idempotencyKey: string | null;
  /** Why authentication failed, when a credential was sent but refused. */
  authError: string | null;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function clientIp(req: IncomingMessage): string | null {
  // Behind a proxy the first X-Forwarded-For hop is the client; the socket address otherwise.
  const fwd = req.headers["x-forwarded-for"];
  const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(",")[0]?.trim();
  return first || req.socket.remoteAddress || null;
}

export async function createContext(req: IncomingMessage, db: Db = getDb()): Promise<Context> {
  const incoming = req.headers["x-request-id"];
  const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  const auth = req.headers.authorization;
  let principal: Principal | null = null;
  let authError: string | null = null;
  if (auth?.startsWith("Bearer ")) {
    principal = await principalFromToken(db, auth.slice(7).trim());
    if (!principal) authError = "The API token is invalid, expired or revoked";
  } else {
    const sid = await readSessionId(req.headers.cookie);
    if (sid) principal = await principalFromSession(db, sid);
  }
  const grants = principal ? await loadGrants(db, principal) : null;
  const ua = req.headers["user-agent"];
  const idem = req.headers["idempotency-key"];
  return {
    db,
    requestId,
    principal,
    grants,
    authError,
    idempotencyKey: typeof idem === "string" && idem.length > 0 ? idem.slice(0, 255) : null,
    actor: {
      userId: principal?.userId ?? null,
      email: principal?.email ?? null,
      type: principal ? (principal.via === "token" ? "token" : "user") : "anonymous",
      requestId,
      ip: clientIp(req),
      userAgent: typeof ua === "string" ? ua.slice(0, 512) : null,
      audit: { written: false },
    },
  };
}
