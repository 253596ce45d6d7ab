// Errors thrown inside a subscription's generator skip the ladder's middlewares, so they are given
// their tRPC code here (NOT_FOUND stays NOT_FOUND instead of becoming an internal error).
import { AppError } from "@/server/errors";

export function liveError(e: unknown): unknown {
  return e instanceof AppError ? e.toTRPC() : e;
}
