// Who did something and from where: carried from the request (or job) into services, so the
// audit helper never reaches for tRPC or HTTP objects.
export interface Actor {
  userId: string | null;
  email: string | null;
  type: "user" | "token" | "system" | "anonymous";
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** Set once the success event of this request is written, so the ladder adds no second one. */
  audit: { written: boolean; orgId?: string | null; projectId?: string | null };
}

export function systemActor(
  requestId: string,
  onBehalfOf?: { userId: string | null; email: string | null },
): Actor {
  return {
    userId: onBehalfOf?.userId ?? null,
    email: onBehalfOf?.email ?? null,
    type: "system",
    requestId,
    ip: null,
    userAgent: "cirrus-worker",
    audit: { written: false },
  };
}
