// SSH key pairs made in the portal: an ed25519 key generated here, its public half imported into
// Nova, its private half answered once in OpenSSH format and never stored.
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { AppError } from "@/server/errors";

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** An SSH wire-format string: length-prefixed bytes. */
function sshString(v: Buffer | string): Buffer {
  const b = typeof v === "string" ? Buffer.from(v) : v;
  return Buffer.concat([u32(b.length), b]);
}

export interface GeneratedKey {
  publicKey: string;
  privateKey: string;
  fingerprint: string;
}

/** A new ed25519 key: `ssh-ed25519 AAAA... comment` and an unencrypted openssh-key-v1 private key. */
export function generateEd25519(comment: string): GeneratedKey {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const pub = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  const seed = Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url");
  const pubBlob = Buffer.concat([sshString("ssh-ed25519"), sshString(pub)]);
  const check = randomBytes(4);
  let priv = Buffer.concat([
    check,
    check,
    sshString("ssh-ed25519"),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  // pad to the cipher block size (8 for "none") with 1, 2, 3...
  const pad = (8 - (priv.length % 8)) % 8;
  priv = Buffer.concat([priv, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    u32(1),
    sshString(pubBlob),
    sshString(priv),
  ]);
  const b64 = body.toString("base64").replace(/.{1,70}/g, "$&\n");
  return {
    publicKey: `ssh-ed25519 ${pubBlob.toString("base64")} ${comment}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}-----END OPENSSH PRIVATE KEY-----\n`,
    fingerprint: fingerprintOf(pubBlob),
  };
}

/** OpenSSH's SHA256 fingerprint of a public key blob. */
function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

const KEY_TYPES = new Set([
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
]);

/** Checks an imported OpenSSH public key and answers its type and fingerprint. */
export function parsePublicKey(text: string): { type: string; fingerprint: string; normalized: string } {
  const parts = text.trim().split(/\s+/);
  const [type, data] = parts;
  const fail = (why: string) =>
    new AppError(
      "INVALID_INPUT",
      `publicKey: ${why} (paste one line such as "ssh-ed25519 AAAA... you@host")`,
      {
        field: "publicKey",
      },
    );
  if (!type || !data) throw fail("not an OpenSSH public key");
  if (!KEY_TYPES.has(type)) throw fail(`unsupported key type ${type.slice(0, 40)}`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw fail("the key data is not base64");
  const blob = Buffer.from(data, "base64");
  if (blob.length < 16 || blob.readUInt32BE(0) > blob.length - 4) throw fail("the key data is truncated");
  const inner = blob.subarray(4, 4 + blob.readUInt32BE(0)).toString();
  if (inner !== type) throw fail(`the key data says ${inner.slice(0, 40)}, the prefix says ${type}`);
  if (type === "ssh-rsa" && blob.length < 256) throw fail("RSA keys must have at least 2048 bits");
  return { type, fingerprint: fingerprintOf(blob), normalized: parts.slice(0, 3).join(" ") };
}
