// Identifier, MAC-address and timestamp formats, each as the OpenStack service that owns the
// resource prints them (the formats differ per service, and clients parse them).
import { createHash, randomBytes, randomUUID } from "node:crypto";

export function uuid(): string {
  return randomUUID();
}

/** Keystone ids are uuid4 hex without dashes. */
export function hexId(): string {
  return randomUUID().replace(/-/g, "");
}

/** Stable hex id derived from a name, so catalog ids survive restarts. */
export function stableHexId(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

export function requestId(): string {
  return `req-${randomUUID()}`;
}

const REQUEST_ID_RE = /^req-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;

/** oslo.middleware only accepts a global request id in exactly this form. */
export function isRequestId(value: string): boolean {
  return REQUEST_ID_RE.test(value);
}

/** Neutron's base MAC prefix fa:16:3e plus three random octets. */
export function macAddress(): string {
  return `fa:16:3e:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, "0")).join(":")}`;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** "2024-05-01T10:00:00Z": Nova created/updated, Neutron, Glance. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "2024-05-01T10:00:00.000000": Cinder, Nova launched_at, keypairs. */
export function isoMicros(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000");
}

/** "2024-05-01T10:00:00.000000Z": Keystone token times. */
export function isoMicrosZ(ms: number): string {
  return `${isoMicros(ms)}Z`;
}

export function sha224Hex(text: string): string {
  return createHash("sha224").update(text).digest("hex");
}

/** Deterministic 32-bit hash, used to seed synthetic metrics per resource. */
export function hash32(text: string): number {
  return createHash("md5").update(text).digest().readUInt32BE(0);
}
