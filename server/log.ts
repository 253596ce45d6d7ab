// Structured one-line JSON logs on stderr; errors carry their stack, never request bodies.
import { env } from "./env";

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof levels;

function emit(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (levels[level] < levels[env.CIRRUS_LOG_LEVEL]) return;
  const out: Record<string, unknown> = { t: new Date().toISOString(), level, msg };
  for (const [k, v] of Object.entries(fields)) {
    out[k] =
      v instanceof Error
        ? {
            message: v.message,
            stack: v.stack,
            cause:
              v.cause instanceof Error
                ? v.cause.message
                : v.cause === undefined
                  ? undefined
                  : JSON.stringify(v.cause),
          }
        : v;
  }
  process.stderr.write(JSON.stringify(out) + "\n");
}

export const log = {
  debug: (msg: string, f?: Record<string, unknown>) => emit("debug", msg, f),
  info: (msg: string, f?: Record<string, unknown>) => emit("info", msg, f),
  warn: (msg: string, f?: Record<string, unknown>) => emit("warn", msg, f),
  error: (msg: string, f?: Record<string, unknown>) => emit("error", msg, f),
};
