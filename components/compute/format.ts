// Formatting shared by the compute views: sizes, flavors, images, and a light client-side check of
// cloud-init user data (the server validates authoritatively).
import { parse } from "yaml";

/** "512 MB", "2 GB", "1.5 GB". */
export function formatRam(mb: number): string {
  if (mb < 1024) return `${mb} MB`;
  const gb = mb / 1024;
  return `${Number.isInteger(gb) ? gb : gb.toFixed(1)} GB`;
}

/** "0 B", "12.3 MB", "2.1 GB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "—";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 || v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** "2 vCPU · 4 GB". */
export function flavorShape(f: { vcpus: number; ramMb: number }): string {
  return `${f.vcpus} vCPU · ${formatRam(f.ramMb)}`;
}

/** "Ubuntu 24.04" from os_distro/os_version, else null. */
export function osLabel(i: { osDistro: string | null; osVersion: string | null }): string | null {
  if (!i.osDistro) return null;
  const distro = i.osDistro.charAt(0).toUpperCase() + i.osDistro.slice(1);
  return i.osVersion ? `${distro} ${i.osVersion}` : distro;
}

/** RAM in whole GB as the quota counts it (rounded up). */
export function ramGb(mb: number): number {
  return Math.ceil(mb / 1024);
}

/**
 * The problem with cloud-init user data, or null: the same rules as the server
 * (server/services/compute/userdata.ts) so the wizard refuses early what would be refused on submit.
 * An empty value is fine (no user data).
 */
export function checkUserData(text: string): string | null {
  if (!text.trim()) return null;
  // Nova's limit is on the base64 text: 4 bytes per 3.
  if (Math.ceil(new TextEncoder().encode(text).length / 3) * 4 > 65535)
    return "Larger than Nova's 64 KiB limit once base64-encoded";
  const first = text.trimStart().split("\n", 1)[0]!.trim();
  if (first.startsWith("#!"))
    return first.length > 2 ? null : "Name the interpreter after #! (e.g. #!/bin/bash)";
  if (first.startsWith("Content-Type: multipart/") || first === "#include") return null;
  if (first !== "#cloud-config")
    return "Start with #cloud-config (YAML) on the first line, or with #! for a script";
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    const message = e instanceof Error ? (e.message.split("\n")[0] ?? e.message) : String(e);
    return `Not valid YAML: ${message}`;
  }
  if (doc !== null && (typeof doc !== "object" || Array.isArray(doc)))
    return "A #cloud-config document must be a YAML mapping (key: value)";
  return null;
}
