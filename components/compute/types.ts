// The compute API's shapes as the console sees them (dates arrive as Date through superjson).
import type { z } from "zod";
import type {
  floatingIpOutput,
  flavorOutput,
  imageOutput,
  instanceDetailOutput,
  instanceOutput,
  keypairOutput,
  networkOutput,
  securityGroupOutput,
  subnetOutput,
  volumeOutput,
} from "@/server/routers/compute/schemas";

export type Instance = z.infer<typeof instanceOutput>;
export type InstanceDetail = z.infer<typeof instanceDetailOutput>;
export type Image = z.infer<typeof imageOutput>;
export type Flavor = z.infer<typeof flavorOutput>;
export type Keypair = z.infer<typeof keypairOutput>;
export type NetworkRow = z.infer<typeof networkOutput>;
export type Subnet = z.infer<typeof subnetOutput>;
export type SecurityGroup = z.infer<typeof securityGroupOutput>;

export type Volume = z.infer<typeof volumeOutput>;
export type FloatingIp = z.infer<typeof floatingIpOutput>;

export type MetricName = "cpu" | "memory" | "network_in" | "network_out" | "disk_read" | "disk_write";
export type MetricRange = "1h" | "6h" | "24h" | "7d";

export interface MetricSeries {
  labels: Record<string, string>;
  points: { t: number; v: number | null }[];
}

export interface Metric {
  metric: MetricName;
  unit: string;
  series: MetricSeries[];
}

export interface Scope {
  org: string;
  project: string;
}
