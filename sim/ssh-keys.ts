// Key pairs as Nova makes them: RSA keys generated server-side (private key in PEM, public key
// in OpenSSH format) and the MD5 colon fingerprint of an OpenSSH public key.
import { X509Certificate, createHash, generateKeyPairSync } from "node:crypto";

function sshString(data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
}

/** SSH mpint: big-endian, with a leading zero byte when the high bit is set. */
function sshMpint(data: Buffer): Buffer {
  let start = 0;
  while (start < data.length - 1 && data[start] === 0) start++;
  let body = data.subarray(start);
  if ((body[0] ?? 0) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return sshString(body);
}

export interface GeneratedKey {
  publicKey: string;
  privateKey: string;
  fingerprint: string;
}

export function generateRsaKey(comment: string): GeneratedKey {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" });
  const e = Buffer.from(jwk.e ?? "", "base64url");
  const n = Buffer.from(jwk.n ?? "", "base64url");
  const blob = Buffer.concat([sshString(Buffer.from("ssh-rsa")), sshMpint(e), sshMpint(n)]);
  return {
    publicKey: `ssh-rsa ${blob.toString("base64")} ${comment}\n`,
    privateKey: privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
    fingerprint: md5Fingerprint(blob),
  };
}

function md5Fingerprint(blob: Buffer): string {
  return createHash("md5").update(blob).digest("hex").match(/../g)?.join(":") ?? "";
}

const SSH_TYPES = [
  "ssh-rsa",
  "ssh-dss",
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
];

/** Fingerprint of an OpenSSH public key line, or null when it does not parse. */
export function sshFingerprint(publicKey: string): string | null {
  const parts = publicKey.trim().split(/\s+/);
  const [type, data] = parts;
  if (!type || !data || !SSH_TYPES.includes(type)) return null;
  const blob = Buffer.from(data, "base64");
  if (blob.length < 8) return null;
  const nameLen = blob.readUInt32BE(0);
  if (blob.subarray(4, 4 + nameLen).toString() !== type) return null;
  return md5Fingerprint(blob);
}

/** Nova's x509 key pairs carry a PEM certificate; the fingerprint is SHA-1 of its DER form. */
export function x509Fingerprint(pem: string): string | null {
  try {
    const cert = new X509Certificate(pem);
    return cert.fingerprint.toLowerCase();
  } catch {
    return null;
  }
}
