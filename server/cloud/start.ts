// Chooses the cloud at start-up: a configured OpenStack (clouds.yaml or OS_*), or the embedded
// simulated cloud when none is configured.
import { log } from "@/server/log";

export interface StartedCloud {
  description: string;
  stop(): Promise<void>;
}

export async function startCloud(): Promise<StartedCloud> {
  log.warn("cloud providers are not wired yet: projects stay in provisioning");
  return { description: "none configured yet", stop: async () => undefined };
}
