// The default VPC: every project gets a network, a subnet and (where the region has an external
// network) a router to it in each region, made by its provisioning job, so a VM can be created at
// once and reach an elastic IP. Tagged so lists can mark it and deletion can find it.
import { AppError } from "@/server/errors";
import { getOpenStack } from "@/server/providers/openstack/client";
import { DEFAULT_VPC_TAG } from "./catalog";
import { collect, keystoneProjectId, projectCloud, type ProjectRef } from "./upstream";

export const DEFAULT_VPC_CIDR = "10.0.0.0/24";

export async function ensureDefaultVpc(
  project: ProjectRef,
  region: string,
  jobId: string,
): Promise<Record<string, string>> {
  const cloud = projectCloud(project, region);
  const net = cloud.network;
  const owner = keystoneProjectId(project, region);
  const tagged = { tags: DEFAULT_VPC_TAG, project_id: owner };

  let network =
    (await collect(net.listNetworks(tagged)))[0] ?? (await net.findNetworkByJobId(jobId, "default"));
  network ??= await net.createNetwork({
    jobId,
    name: "default",
    description: `Default VPC network of ${project.slug}`,
  });
  if (!network.tags?.includes(DEFAULT_VPC_TAG)) await net.addTag("networks", network.id, DEFAULT_VPC_TAG);

  let subnet =
    (await collect(net.listSubnets({ ...tagged, network_id: network.id })))[0] ??
    (await net.findSubnetByJobId(jobId, "default"));
  subnet ??= await net.createSubnet({
    jobId,
    networkId: network.id,
    name: "default",
    cidr: DEFAULT_VPC_CIDR,
    ipVersion: 4,
    enableDhcp: true,
    description: `Default VPC subnet of ${project.slug}`,
  });
  if (!subnet.tags?.includes(DEFAULT_VPC_TAG)) await net.addTag("subnets", subnet.id, DEFAULT_VPC_TAG);

  const external = (await net.listExternalNetworks())[0];
  if (!external) return { networkId: network.id, subnetId: subnet.id };
  let router = (await collect(net.listRouters(tagged)))[0] ?? (await net.findRouterByJobId(jobId, "default"));
  router ??= await net.createRouter({
    jobId,
    name: "default",
    externalNetworkId: external.id,
    description: `Default VPC router of ${project.slug}`,
  });
  if (!router.tags?.includes(DEFAULT_VPC_TAG)) await net.addTag("routers", router.id, DEFAULT_VPC_TAG);
  const ports = await collect(net.listPorts({ device_id: router.id, network_id: network.id }));
  if (ports.length === 0) {
    try {
      await net.addRouterInterface(router.id, { subnetId: subnet.id });
    } catch (e) {
      // a replay of an interface that was added: Neutron answers 400 "already has a port on subnet"
      if (!(e instanceof AppError && /already/i.test(e.message))) throw e;
    }
  }
  return { networkId: network.id, subnetId: subnet.id, routerId: router.id };
}

/** Removes the default VPC (and any server-less ports left on it) before the project goes. */
export async function removeDefaultVpc(project: ProjectRef, region: string): Promise<void> {
  // A Keystone project already gone (deleted out of band, or through another region sharing the
  // Keystone) can no longer be acted for: nothing left to clean with its token.
  const exists = await getOpenStack()
    .admin(region)
    .identity.getProject(keystoneProjectId(project, region))
    .then(
      () => true,
      (e: unknown) => {
        if (e instanceof AppError && e.code === "NOT_FOUND") return false;
        throw e;
      },
    );
  if (!exists) return;
  const cloud = projectCloud(project, region);
  const net = cloud.network;
  const tagged = { tags: DEFAULT_VPC_TAG, project_id: keystoneProjectId(project, region) };
  const ignore404 = (e: unknown) => {
    if (!(e instanceof AppError && e.code === "NOT_FOUND")) throw e;
  };
  for (const router of await collect(net.listRouters(tagged))) {
    for (const s of await collect(net.listSubnets(tagged)))
      await net.removeRouterInterface(router.id, { subnetId: s.id }).catch((e: unknown) => {
        if (!(e instanceof AppError && (e.code === "NOT_FOUND" || /no interface|not found/i.test(e.message))))
          throw e;
      });
    await net.deleteRouter(router.id).catch(ignore404);
  }
  for (const network of await collect(net.listNetworks(tagged))) {
    for (const port of await collect(net.listPorts({ network_id: network.id })))
      if (!port.device_owner?.startsWith("network:")) await net.deletePort(port.id).catch(ignore404);
    await net.deleteNetwork(network.id).catch(ignore404);
  }
}
