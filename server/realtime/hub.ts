// One LISTEN connection per process on the cirrus_events channel, fanned out in memory to every
// open subscription. Events carry ids only; each subscriber decides what its caller may see.
import { getDb } from "@/db/client";
import { log } from "@/server/log";
import { CHANNEL, type LiveEvent } from "./notify";

/** `resync`: the listener reconnected (or a subscriber fell behind), so events may have been missed. */
export type HubMessage = LiveEvent | { type: "resync" };

type Listener = (message: HubMessage) => void;

interface HubState {
  listeners: Set<Listener>;
  /** Resolves once LISTEN is in place; null while not started. */
  started: Promise<void> | null;
  unlisten: (() => Promise<void>) | null;
  connects: number;
  /** A LISTEN attempt failed: the next successful one must tell subscribers to resync. */
  missed: boolean;
  retry: ReturnType<typeof setTimeout> | null;
}

// On globalThis so a second copy of this module (dev reloads, test workers) shares one connection.
const holder = globalThis as unknown as { __cirrusLiveHub?: HubState };
const hub: HubState = (holder.__cirrusLiveHub ??= {
  listeners: new Set(),
  started: null,
  unlisten: null,
  connects: 0,
  missed: false,
  retry: null,
});

const RETRY_MS = 2000;

export function parseLiveEvent(payload: string): LiveEvent | null {
  try {
    const v = JSON.parse(payload) as Partial<LiveEvent> | null;
    if (!v || typeof v !== "object" || typeof v.type !== "string") return null;
    switch (v.type) {
      case "audit":
        return typeof v.id === "number" ? (v as LiveEvent) : null;
      case "job":
        return typeof v.jobId === "string" && typeof v.orgId === "string" ? (v as LiveEvent) : null;
      case "resource":
        return typeof v.id === "string" && typeof v.orgId === "string" ? (v as LiveEvent) : null;
      case "notification":
        return typeof v.userId === "string" ? (v as LiveEvent) : null;
      default:
        return null;
    }
  } catch {
    return null;
  }
}

function broadcast(message: HubMessage): void {
  for (const fn of hub.listeners) {
    try {
      fn(message);
    } catch (e) {
      log.warn("live listener failed", { error: e });
    }
  }
}

function start(): Promise<void> {
  hub.started ??= (async () => {
    try {
      const meta = await getDb().$client.listen(
        CHANNEL,
        (payload) => {
          const event = parseLiveEvent(payload);
          if (event) broadcast(event);
        },
        () => {
          // Called on the first LISTEN and again after every reconnect: what happened in between is lost.
          hub.connects += 1;
          if (hub.connects > 1 || hub.missed) {
            hub.missed = false;
            log.info("live channel reconnected");
            broadcast({ type: "resync" });
          }
        },
      );
      hub.unlisten = () => meta.unlisten();
    } catch (e) {
      log.warn("live channel could not LISTEN; retrying", { error: e });
      hub.started = null;
      hub.missed = true;
      hub.retry ??= setTimeout(() => {
        hub.retry = null;
        if (hub.listeners.size > 0) void start();
      }, RETRY_MS);
      hub.retry.unref?.();
      throw e;
    }
  })();
  return hub.started;
}

/** Adds a listener; LISTEN starts with the first one. Resolves once events are flowing. */
export async function subscribeHub(listener: Listener): Promise<() => void> {
  hub.listeners.add(listener);
  const off = () => void hub.listeners.delete(listener);
  try {
    await start();
  } catch {
    // The listener stays registered: the retry will deliver a resync once LISTEN is back.
    listener({ type: "resync" });
  }
  return off;
}

/** Tests and shutdown: drop the LISTEN connection (the next subscriber starts a new one). */
export async function stopHub(): Promise<void> {
  if (hub.retry) clearTimeout(hub.retry);
  hub.retry = null;
  const unlisten = hub.unlisten;
  hub.unlisten = null;
  hub.started = null;
  hub.connects = 0;
  hub.missed = false;
  hub.listeners.clear();
  if (unlisten) await unlisten().catch(() => undefined);
}

/** Resolves once LISTEN is in place (tests wait for it before writing). */
export async function hubListening(): Promise<void> {
  await hub.started;
}

export function hubListenerCount(): number {
  return hub.listeners.size;
}
