// Networking, read-only in this slice: what the compute wizard and detail pages pick from.
import { router } from "@/server/trpc";
import { listFloatingIps } from "./list-floating-ips";
import { listNetworks } from "./list-networks";
import { listSecurityGroups } from "./list-security-groups";
import { listSubnets } from "./list-subnets";

export const networkRouter = router({ listNetworks, listSubnets, listSecurityGroups, listFloatingIps });
