// Writes a clouds.yaml in openstacksdk's format with one entry per simulated region, so the
// `openstack` CLI, openstacksdk and the portal's own provider can talk to the sim unchanged.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { stringify } from "yaml";

export interface CloudsYamlInput {
  authUrl: string;
  regions: readonly string[];
  username: string;
  password: string;
  projectName: string;
  domainName: string;
}

export function cloudName(region: string): string {
  return `cirrus-sim-${region}`;
}

export function cloudsYaml(input: CloudsYamlInput): string {
  const clouds: Record<string, unknown> = {};
  for (const region of input.regions) {
    clouds[cloudName(region)] = {
      auth: {
        auth_url: input.authUrl,
        username: input.username,
        password: input.password,
        project_name: input.projectName,
        user_domain_name: input.domainName,
        project_domain_name: input.domainName,
      },
      region_name: region,
      interface: "public",
      identity_api_version: 3,
    };
  }
  return `# Written by the Cirrus simulator (sim/). Regenerated at every start.\n${stringify({ clouds })}`;
}

export async function writeCloudsYaml(path: string, input: CloudsYamlInput): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // The file holds the admin password: readable by the owner only.
  await writeFile(path, cloudsYaml(input), { mode: 0o600 });
}
