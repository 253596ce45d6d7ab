// The shape of the simulated cloud: regions, availability zones, compute hosts, and how long
// each asynchronous operation takes (seconds like a small real cloud, or milliseconds in fast mode).

export const REGIONS = ["region-one", "region-two"] as const;

/** The same three AZ names exist in both regions (as on most multi-region clouds). */
export const AVAILABILITY_ZONES = ["az-1", "az-2", "az-3"] as const;

export interface ComputeHost {
  name: string;
  az: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  id: number;
  uuid: string;
}

const HOSTS_PER_AZ = 2;

export function computeHosts(region: string): ComputeHost[] {
  const r = REGIONS.indexOf(region as (typeof REGIONS)[number]) + 1;
  const hosts: ComputeHost[] = [];
  AVAILABILITY_ZONES.forEach((az, a) => {
    for (let n = 1; n <= HOSTS_PER_AZ; n++) {
      const id = a * HOSTS_PER_AZ + n;
      hosts.push({
        name: `r${r}-az${a + 1}-cmp${String(n).padStart(2, "0")}`,
        az,
        vcpus: 64,
        memoryMb: 262144,
        diskGb: 2048,
        id,
        // Stable per host so hypervisor ids survive restarts.
        uuid: `00000000-0000-4000-8000-${String(r).padStart(4, "0")}${String(id).padStart(8, "0")}`,
      });
    }
  });
  return hosts;
}

export function controllerHost(region: string): string {
  const r = REGIONS.indexOf(region as (typeof REGIONS)[number]) + 1;
  return `r${r}-ctl01`;
}

export type DelayName =
  | "server.schedule"
  | "server.spawn"
  | "server.power"
  | "server.pause"
  | "server.reboot"
  | "server.reboot_hard"
  | "server.resize"
  | "server.resize_confirm"
  | "server.rebuild"
  | "server.delete"
  | "server.snapshot"
  | "volume.create"
  | "volume.create_from_image"
  | "volume.delete"
  | "volume.extend"
  | "volume.attach"
  | "volume.detach"
  | "snapshot.create"
  | "snapshot.delete";

/** [normal ms, fast ms]. Fast values stay inside the 20-150 ms window tests rely on. */
const DELAYS: Record<DelayName, [number, number]> = {
  "server.schedule": [1000, 20],
  "server.spawn": [3000, 40],
  "server.power": [2000, 30],
  "server.pause": [1000, 20],
  "server.reboot": [3000, 40],
  "server.reboot_hard": [2000, 30],
  "server.resize": [4000, 60],
  "server.resize_confirm": [1000, 20],
  "server.rebuild": [3000, 50],
  "server.delete": [1500, 25],
  "server.snapshot": [3000, 50],
  "volume.create": [2000, 30],
  "volume.create_from_image": [5000, 60],
  "volume.delete": [1500, 25],
  "volume.extend": [2000, 30],
  "volume.attach": [1500, 25],
  "volume.detach": [1500, 25],
  "snapshot.create": [2000, 30],
  "snapshot.delete": [1500, 25],
};

export function delayFor(name: DelayName, fast: boolean): number {
  const [normal, quick] = DELAYS[name];
  return fast ? quick : normal;
}
