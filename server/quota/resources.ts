// The quota catalogue: one entry per limited resource, with its unit and platform default.
export const quotaResources = {
  instances: { label: "Instances", unit: "", service: "Compute", orgDefault: 100, projectDefault: 20 },
  vcpus: { label: "vCPUs", unit: "", service: "Compute", orgDefault: 200, projectDefault: 40 },
  ramGb: { label: "RAM", unit: "GB", service: "Compute", orgDefault: 512, projectDefault: 100 },
  volumes: { label: "Volumes", unit: "", service: "Storage", orgDefault: 200, projectDefault: 40 },
  volumeGb: {
    label: "Volume storage",
    unit: "GB",
    service: "Storage",
    orgDefault: 10000,
    projectDefault: 2000,
  },
  snapshots: { label: "Snapshots", unit: "", service: "Storage", orgDefault: 200, projectDefault: 40 },
  vpcs: { label: "VPCs", unit: "", service: "Network", orgDefault: 20, projectDefault: 5 },
  elasticIps: { label: "Elastic IPs", unit: "", service: "Network", orgDefault: 50, projectDefault: 10 },
  loadBalancers: { label: "Load balancers", unit: "", service: "Network", orgDefault: 20, projectDefault: 5 },
  fileStorageGb: {
    label: "File storage",
    unit: "GB",
    service: "Storage",
    orgDefault: 5000,
    projectDefault: 1000,
  },
  buckets: { label: "Buckets", unit: "", service: "Storage", orgDefault: 100, projectDefault: 20 },
  objectStorageGb: {
    label: "Object storage",
    unit: "GB",
    service: "Storage",
    orgDefault: 10000,
    projectDefault: 2000,
  },
  clusters: {
    label: "Kubernetes clusters",
    unit: "",
    service: "Kubernetes",
    orgDefault: 10,
    projectDefault: 3,
  },
  registryGb: {
    label: "Registry storage",
    unit: "GB",
    service: "Registry",
    orgDefault: 1000,
    projectDefault: 200,
  },
} as const;

export type QuotaResource = keyof typeof quotaResources;
export const quotaResourceNames = Object.keys(quotaResources) as [QuotaResource, ...QuotaResource[]];

export function isQuotaResource(r: string): r is QuotaResource {
  return Object.hasOwn(quotaResources, r);
}

/** green below 70 %, amber to 90 %, red above; "action required" at 100 %. */
export function quotaHealth(used: number, limit: number): "ok" | "warning" | "critical" | "exhausted" {
  if (limit <= 0) return used > 0 ? "exhausted" : "ok";
  const ratio = used / limit;
  if (ratio >= 1) return "exhausted";
  if (ratio > 0.9) return "critical";
  if (ratio >= 0.7) return "warning";
  return "ok";
}
