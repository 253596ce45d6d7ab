// Synthetic, deterministic metric series for the simulated Prometheus: one set per server and
// volume of a region, shaped by sinusoids seeded from the resource id, accruing only while running.
import { hash32 } from "../ids";
import type { RegionState, Server, Volume } from "../model";

/** Scrape interval of the imaginary exporters; samples sit on this grid. */
export const SCRAPE_MS = 15_000;

export interface MetricInfo {
  type: "gauge" | "counter";
  help: string;
  unit: string;
}

/** The published metric names (and aliases the portal's default chart templates use). */
export const METRICS: Record<string, MetricInfo> = {
  cirrus_instance_cpu_utilization: {
    type: "gauge",
    help: "CPU utilisation of the instance in percent of its vCPUs (0-100).",
    unit: "percent",
  },
  cirrus_instance_memory_used_bytes: { type: "gauge", help: "Guest memory in use.", unit: "bytes" },
  cirrus_instance_network_receive_bytes_total: {
    type: "counter",
    help: "Bytes received on all interfaces of the instance.",
    unit: "bytes",
  },
  cirrus_instance_network_transmit_bytes_total: {
    type: "counter",
    help: "Bytes sent on all interfaces of the instance.",
    unit: "bytes",
  },
  cirrus_instance_disk_read_bytes_total: {
    type: "counter",
    help: "Bytes read from the instance's disks.",
    unit: "bytes",
  },
  cirrus_instance_disk_write_bytes_total: {
    type: "counter",
    help: "Bytes written to the instance's disks.",
    unit: "bytes",
  },
  cirrus_volume_read_bytes_total: { type: "counter", help: "Bytes read from the volume.", unit: "bytes" },
  cirrus_volume_write_bytes_total: { type: "counter", help: "Bytes written to the volume.", unit: "bytes" },
  openstack_instance_cpu_seconds_total: {
    type: "counter",
    help: "CPU time consumed by the instance (alias series for the portal's templates).",
    unit: "seconds",
  },
  openstack_instance_memory_used_bytes: {
    type: "gauge",
    help: "Alias of cirrus_instance_memory_used_bytes.",
    unit: "bytes",
  },
  openstack_instance_network_receive_bytes_total: {
    type: "counter",
    help: "Alias of cirrus_instance_network_receive_bytes_total.",
    unit: "bytes",
  },
  openstack_instance_network_transmit_bytes_total: {
    type: "counter",
    help: "Alias of cirrus_instance_network_transmit_bytes_total.",
    unit: "bytes",
  },
  openstack_instance_disk_read_bytes_total: {
    type: "counter",
    help: "Alias of cirrus_instance_disk_read_bytes_total.",
    unit: "bytes",
  },
  openstack_instance_disk_write_bytes_total: {
    type: "counter",
    help: "Alias of cirrus_instance_disk_write_bytes_total.",
    unit: "bytes",
  },
  openstack_volume_read_bytes_total: {
    type: "counter",
    help: "Alias of cirrus_volume_read_bytes_total.",
    unit: "bytes",
  },
  openstack_volume_write_bytes_total: {
    type: "counter",
    help: "Alias of cirrus_volume_write_bytes_total.",
    unit: "bytes",
  },
};

export interface Series {
  labels: Record<string, string>;
  /** Value of the series at a sample time (ms), or null where the series has no sample. */
  at(ms: number): number | null;
}

/** A positive periodic rate r(t) = base·(1 + a1·sin(ω1 t + φ1) + a2·sin(ω2 t + φ2)) and its integral. */
interface Shape {
  base: number;
  a1: number;
  p1: number;
  f1: number;
  a2: number;
  p2: number;
  f2: number;
}

function shape(seed: string, base: number): Shape {
  const h = hash32(seed);
  const frac = (shift: number): number => ((h >>> shift) & 0xff) / 255;
  return {
    base: base * (0.4 + 1.2 * frac(0)),
    a1: 0.25 + 0.3 * frac(8),
    p1: (1800 + 7200 * frac(16)) * 1000,
    f1: 2 * Math.PI * frac(24),
    a2: 0.1 + 0.1 * frac(4),
    p2: (240 + 600 * frac(12)) * 1000,
    f2: 2 * Math.PI * frac(20),
  };
}

function rateAt(s: Shape, ms: number): number {
  return (
    s.base *
    (1 +
      s.a1 * Math.sin((2 * Math.PI * ms) / s.p1 + s.f1) +
      s.a2 * Math.sin((2 * Math.PI * ms) / s.p2 + s.f2))
  );
}

/** ∫ r dt in rate-units × seconds, up to ms. */
function integral(s: Shape, ms: number): number {
  const t = ms / 1000;
  const c1 = (s.a1 * s.p1) / 1000 / (2 * Math.PI);
  const c2 = (s.a2 * s.p2) / 1000 / (2 * Math.PI);
  return (
    s.base *
    (t - c1 * Math.cos((2 * Math.PI * ms) / s.p1 + s.f1) - c2 * Math.cos((2 * Math.PI * ms) / s.p2 + s.f2))
  );
}

type Interval = [number, number];

/** Running intervals of a server from its power log (older records without a log: since launch). */
export function runningIntervals(s: Server): Interval[] {
  const out: Interval[] = [];
  const log = s.powerLog ?? [];
  if (log.length === 0) {
    if (s.launchedAt !== null && s.powerState === 1) out.push([s.launchedAt, Number.POSITIVE_INFINITY]);
    return out;
  }
  let start: number | null = null;
  for (const [ms, on] of log) {
    if (on === 1 && start === null) start = ms;
    if (on === 0 && start !== null) {
      out.push([start, ms]);
      start = null;
    }
  }
  if (start !== null) out.push([start, Number.POSITIVE_INFINITY]);
  return out;
}

function isRunning(intervals: Interval[], ms: number): boolean {
  return intervals.some(([a, b]) => ms >= a && ms < b);
}

/** Counter value: the integral of the rate over the running time before ms. */
function counterAt(s: Shape, intervals: Interval[], ms: number): number {
  let total = 0;
  for (const [a, b] of intervals) {
    if (a >= ms) break;
    total += integral(s, Math.min(ms, b)) - integral(s, a);
  }
  return Math.max(0, Math.round(total));
}

function intersect(intervals: Interval[], from: number): Interval[] {
  return intervals.filter(([, b]) => b > from).map(([a, b]) => [Math.max(a, from), b] as Interval);
}

const MiB = 1024 * 1024;

function instanceSeries(region: string, s: Server, wanted: (name: string) => boolean): Series[] {
  if (s.launchedAt === null && (s.powerLog ?? []).length === 0) return [];
  const intervals = runningIntervals(s);
  const born = s.createdAt;
  const labels = {
    project_id: s.projectId,
    instance_id: s.id,
    instance_name: s.name,
    region,
    availability_zone: s.availabilityZone,
    flavor: s.flavor.name,
    job: "cirrus-sim",
  };
  // CPU utilisation stays below 100 %: base·(1 + a1 + a2) ≤ 35·1.6·1.75 = 98.
  const cpu = shape(`${s.id}:cpu`, 35);
  const out: Series[] = [];
  const add = (name: string, at: (ms: number) => number | null): void => {
    if (wanted(name))
      out.push({ labels: { __name__: name, ...labels }, at: (ms) => (ms < born ? null : at(ms)) });
  };
  const util = (ms: number): number =>
    isRunning(intervals, ms) ? Math.min(100, Math.max(0, rateAt(cpu, ms))) : 0;
  add("cirrus_instance_cpu_utilization", (ms) => Math.round(util(ms) * 100) / 100);
  add(
    "openstack_instance_cpu_seconds_total",
    (ms) => Math.round(((counterAt(cpu, intervals, ms) * s.flavor.vcpus) / 100) * 1000) / 1000,
  );
  const mem = shape(`${s.id}:memory`, 0.5);
  const memory = (ms: number): number =>
    isRunning(intervals, ms)
      ? Math.round(s.flavor.ram * MiB * Math.min(0.95, 0.2 + 0.5 * (rateAt(mem, ms) / (mem.base * 2))))
      : 0;
  add("cirrus_instance_memory_used_bytes", memory);
  add("openstack_instance_memory_used_bytes", memory);
  const counters: [string, number][] = [
    ["network_receive_bytes_total", 180_000],
    ["network_transmit_bytes_total", 60_000],
    ["disk_read_bytes_total", 400_000],
    ["disk_write_bytes_total", 250_000],
  ];
  for (const [suffix, base] of counters) {
    const sh = shape(`${s.id}:${suffix}`, base);
    const value = (ms: number): number => counterAt(sh, intervals, ms);
    add(`cirrus_instance_${suffix}`, value);
    add(`openstack_instance_${suffix}`, value);
  }
  return out;
}

function volumeSeries(
  region: string,
  rs: RegionState,
  v: Volume,
  wanted: (name: string) => boolean,
): Series[] {
  if (v.status === "creating" || v.status === "downloading" || v.status === "error") return [];
  const attachment = v.attachments[0];
  const server = attachment ? rs.compute.servers[attachment.server_id] : undefined;
  // A volume only sees I/O while attached to a running server.
  const intervals =
    server && attachment ? intersect(runningIntervals(server), Date.parse(`${attachment.attached_at}Z`)) : [];
  const labels = {
    project_id: v.project_id,
    volume_id: v.id,
    volume_name: v.name ?? "",
    region,
    availability_zone: v.availability_zone,
    instance_id: attachment?.server_id ?? "",
    job: "cirrus-sim",
  };
  const out: Series[] = [];
  for (const [suffix, base] of [
    ["read_bytes_total", 300_000],
    ["write_bytes_total", 200_000],
  ] as const) {
    const sh = shape(`${v.id}:${suffix}`, base);
    for (const name of [`cirrus_volume_${suffix}`, `openstack_volume_${suffix}`]) {
      if (wanted(name))
        out.push({
          labels: { __name__: name, ...labels },
          at: (ms) => (ms < v.createdMs ? null : counterAt(sh, intervals, ms)),
        });
    }
  }
  return out;
}

/** Every series of the region whose metric name passes `wanted`, limited to one project if given. */
export function regionSeries(
  region: string,
  rs: RegionState,
  wanted: (name: string) => boolean,
  projectId: string | null,
): Series[] {
  const out: Series[] = [];
  for (const s of Object.values(rs.compute.servers)) {
    if (projectId === null || s.projectId === projectId) out.push(...instanceSeries(region, s, wanted));
  }
  for (const v of Object.values(rs.volume.volumes)) {
    if (projectId === null || v.project_id === projectId) out.push(...volumeSeries(region, rs, v, wanted));
  }
  return out;
}
