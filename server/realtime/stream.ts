// Turns the hub's push callbacks into a pull-based async stream of batches for one subscription:
// bounded (a subscriber that falls behind gets one resync instead of unbounded memory) and
// coalesced (a burst of job step updates becomes one batch).
import { subscribeHub, type HubMessage } from "./hub";

export interface HubStreamOptions {
  signal?: AbortSignal;
  /** Cheap first cut on the ids in the payload (org, type); visibility is checked by the caller. */
  accept?: (message: HubMessage) => boolean;
  /** Beyond this many waiting messages the subscriber is told to resync instead. */
  maxQueue?: number;
  /** After the first message of a batch, wait this long for more. */
  coalesceMs?: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

export interface HubStream extends AsyncIterable<HubMessage[]> {
  /** Stops listening; also done when an iteration ends. Idempotent. */
  close(): void;
}

/**
 * Resolves once LISTEN is in place and messages are being buffered, so a caller can read what it
 * missed from the database afterwards without a gap. Iterate the result to receive batches; the
 * iteration ends when the signal aborts. Close it if it is never iterated.
 */
export async function openHubStream(opts: HubStreamOptions = {}): Promise<HubStream> {
  const { signal, accept, maxQueue = 1000, coalesceMs = 75 } = opts;
  let queue: HubMessage[] = [];
  let overflow = false;
  let wake: (() => void) | null = null;
  const off = await subscribeHub((message) => {
    if (message.type !== "resync" && accept && !accept(message)) return;
    if (overflow) return;
    if (queue.length >= maxQueue) {
      overflow = true;
      queue = [];
    } else queue.push(message);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    off();
    signal?.removeEventListener("abort", onAbort);
    wake?.();
  };

  async function* batches(): AsyncGenerator<HubMessage[]> {
    try {
      while (!signal?.aborted && !closed) {
        if (queue.length === 0 && !overflow) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
          continue;
        }
        if (coalesceMs > 0) await sleep(coalesceMs, signal);
        if (signal?.aborted || closed) break;
        const batch: HubMessage[] = overflow ? [{ type: "resync" }] : queue;
        queue = [];
        overflow = false;
        yield batch;
      }
    } finally {
      close();
    }
  }
  return { [Symbol.asyncIterator]: batches, close };
}
