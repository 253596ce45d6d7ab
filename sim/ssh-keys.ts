// Key pairs as Nova makes them: RSA keys generated server-side (private key in PEM, public key
// in OpenSSH format) and the MD5 colon fingerprint of an OpenSSH public key.
import { X509Certificate, createHash, createPublicKey, generateKeyPairSync } from "node:crypto";

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
  const fields = sshFields(blob);
  if (fields === null || fields[0]?.toString() !== type || !wellFormed(type, fields)) return null;
  return md5Fingerprint(blob);
}

/** The length-prefixed fields of an SSH public key blob, or null when they do not fill it exactly. */
function sshFields(blob: Buffer): Buffer[] | null {
  const out: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return null;
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) return null;
    out.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return out;
}

/** Nova loads the key with pyca/cryptography first, so a truncated or padded key is refused. */
function wellFormed(type: string, fields: Buffer[]): boolean {
  switch (type) {
    case "ssh-ed25519":
      return fields.length === 2 && fields[1]?.length === 32;
    case "ssh-rsa": {
      if (fields.length !== 3) return false;
      try {
        const b64 = (b: Buffer | undefined): string => (b ?? Buffer.alloc(0)).toString("base64url");
        createPublicKey({ key: { kty: "RSA", e: b64(fields[1]), n: b64(fields[2]) }, format: "jwk" });
        return true;
      } catch {
        return false;
      }
    }
    case "ssh-dss":
      return fields.length === 5;
    case "ecdsa-sha2-nistp256":
    case "ecdsa-sha2-nistp384":
    case "ecdsa-sha2-nistp521":
      return fields.length === 3 && fields[1]?.toString() === type.slice("ecdsa-sha2-".length);
    default:
      return fields.length >= 2;
  }
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
