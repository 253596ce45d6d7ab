"use client";
// Creating a key pair: generate one (its private key is shown once, to copy or download) or
// import a public key. Used by the Key pairs page and the instance wizard's Access step.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Download, KeyRound } from "lucide-react";
import { useState } from "react";
import { downloadText } from "@/components/resources";
import { useTRPC } from "@/components/trpc";
import { Alert, Button, CopyField, Field, Input, Select, Textarea, errorInfo } from "@/components/ui";
import type { Scope } from "./types";

const KEY_NAME = /^[A-Za-z0-9_-][A-Za-z0-9 ._-]*$/;
const PUBLIC_KEY =
  /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/;

export function keyNameError(name: string): string | null {
  if (!name.trim()) return "Enter a name";
  if (name.trim().length > 64) return "Use at most 64 characters";
  if (!KEY_NAME.test(name.trim())) return "Use letters, digits, spaces, dots, dashes and underscores";
  return null;
}

export function publicKeyError(key: string): string | null {
  if (!key.trim()) return "Paste an OpenSSH public key";
  if (!PUBLIC_KEY.test(key.trim()))
    return "Paste one OpenSSH public key (ssh-ed25519 AAAA… or ssh-rsa AAAA…)";
  return null;
}

export interface CreatedKeypair {
  name: string;
  region: string;
  privateKey: string | null;
}

/** The private key of a generated pair, shown once. */
export function PrivateKeyOnce({ keypair }: { keypair: CreatedKeypair }) {
  if (!keypair.privateKey)
    return (
      <Alert tone="success" title={`Key pair ${keypair.name} imported`}>
        Instances created with it accept the private key that matches the public key you pasted.
      </Alert>
    );
  const file = `${keypair.name.replace(/[^A-Za-z0-9._-]/g, "_")}.pem`;
  return (
    <div className="flex flex-col gap-3" data-testid="private-key-once">
      <Alert tone="warning" title="Save the private key now">
        This is the only time it is shown: Cirrus does not keep it. Without it you cannot sign in to instances
        created with {keypair.name}.
      </Alert>
      <CopyField value={keypair.privateKey} label={`Private key of ${keypair.name}`} secret multiline />
      <div>
        <Button
          variant="outline"
          icon={<Download />}
          onClick={() => downloadText(file, keypair.privateKey ?? "", "application/x-pem-file")}
        >
          Download {file}
        </Button>
      </div>
      <p className="text-xs text-muted-foreground">
        Then: <code className="font-mono">chmod 600 {file}</code> and{" "}
        <code className="font-mono">ssh -i {file} user@address</code>.
      </p>
    </div>
  );
}

/** Name, region and (to import) a public key; reports the created pair. */
export function CreateKeypairForm({
  scope,
  regions,
  region: fixedRegion,
  onCreated,
  onCancel,
}: {
  scope: Scope;
  regions: string[];
  /** Create in this region (the wizard's); else the user picks. */
  region?: string;
  onCreated: (k: CreatedKeypair) => void;
  onCancel?: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<"generate" | "import">("generate");
  const [name, setName] = useState("");
  const [region, setRegion] = useState(fixedRegion ?? regions[0] ?? "");
  const [publicKey, setPublicKey] = useState("");
  const [touched, setTouched] = useState(false);
  const create = useMutation(
    trpc.compute.createKeypair.mutationOptions({
      onSuccess: (k) => {
        void queryClient.invalidateQueries({ queryKey: trpc.compute.listKeypairs.pathKey() });
        onCreated({ name: k.name, region: k.region, privateKey: k.privateKey });
      },
    }),
  );
  const nameErr = keyNameError(name);
  const keyErr = mode === "import" ? publicKeyError(publicKey) : null;
  const submit = () => {
    setTouched(true);
    if (nameErr || keyErr || !(fixedRegion ?? region)) return;
    create.mutate({
      ...scope,
      name: name.trim(),
      region: fixedRegion ?? region,
      ...(mode === "import" ? { publicKey: publicKey.trim() } : {}),
    });
  };
  return (
    <div className="flex flex-col gap-4">
      <div role="radiogroup" aria-label="How to get the key" className="grid gap-2 sm:grid-cols-2">
        {(
          [
            [
              "generate",
              "Generate a new key pair",
              "Cirrus creates an ed25519 key; you download the private key once.",
            ],
            ["import", "Import a public key", "Use a key you already have (~/.ssh/id_ed25519.pub)."],
          ] as const
        ).map(([id, title, text]) => (
          <label
            key={id}
            className="flex cursor-pointer gap-3 rounded-lg border border-border p-3 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary-soft"
          >
            <input
              type="radio"
              name="keypair-mode"
              className="mt-0.5 accent-primary"
              checked={mode === id}
              onChange={() => setMode(id)}
            />
            <span className="flex flex-col gap-0.5">
              <span className="font-medium">{title}</span>
              <span className="text-xs text-muted-foreground">{text}</span>
            </span>
          </label>
        ))}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" required error={touched ? (nameErr ?? undefined) : undefined}>
          <Input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="laptop"
            autoComplete="off"
          />
        </Field>
        {fixedRegion ? null : (
          <Field label="Region" required>
            <Select
              value={region}
              onChange={(e) => setRegion(e.target.value)}
              options={regions.map((r) => ({ value: r, label: r }))}
            />
          </Field>
        )}
      </div>
      {mode === "import" ? (
        <Field label="Public key" required error={touched ? (keyErr ?? undefined) : undefined}>
          <Textarea
            value={publicKey}
            onChange={(e) => setPublicKey(e.target.value)}
            rows={4}
            className="font-mono text-xs"
            placeholder="ssh-ed25519 AAAAC3Nza… you@laptop"
            spellCheck={false}
          />
        </Field>
      ) : null}
      {create.error ? (
        <Alert tone="danger" title="The key pair was not created">
          {errorInfo(create.error).message}
        </Alert>
      ) : null}
      <div className="flex justify-end gap-2">
        {onCancel ? (
          <Button variant="outline" onClick={onCancel} disabled={create.isPending}>
            Cancel
          </Button>
        ) : null}
        <Button icon={<KeyRound />} loading={create.isPending} onClick={submit}>
          {mode === "import" ? "Import key" : "Generate key pair"}
        </Button>
      </div>
    </div>
  );
}
