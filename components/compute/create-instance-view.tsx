"use client";
// The instance wizard: region and zone first (everything else is per region), then basics, image,
// flavor (refused with the reason when the project's remaining quota cannot hold it), storage,
// network, access (key pair and cloud-init), labels, and a review with the quota impact. Submitting
// opens the first instance, where its job's progress shows live.
import { useMutation, useQuery } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import {
  hasLabelErrors,
  LabelsEditor,
  pairsToLabels,
  validateLabelPairs,
  Wizard,
  type LabelPair,
  type QuotaImpactRow,
} from "@/components/resources";
import { useTRPC } from "@/components/trpc";
import {
  Alert,
  Badge,
  Button,
  Card,
  CardContent,
  Checkbox,
  ErrorState,
  Field,
  Input,
  KeyValueList,
  PageHeader,
  Select,
  Skeleton,
  Textarea,
  buttonClasses,
} from "@/components/ui";
import { checkUserData, flavorShape, formatRam, osLabel, ramGb } from "./format";
import { CreateKeypairForm, PrivateKeyOnce, type CreatedKeypair } from "./keypair-forms";
import { FlavorPicker, ImagePicker } from "./pickers";
import type { Flavor, Image, Scope } from "./types";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_VOLUMES = 8;

interface ExtraVolume {
  sizeGb: string;
  volumeType: string;
}

type QuotaFigures = Record<string, number>;

function nameError(name: string, count: number): string | null {
  const n = name.trim();
  if (!n) return "Enter a name";
  if (!NAME.test(n)) return "Use letters, digits, dots, dashes and underscores; start with a letter or digit";
  const longest = count > 1 ? `${n}-${count}` : n;
  if (longest.length > 63)
    return `Use at most ${63 - (longest.length - n.length)} characters (names get a -N suffix)`;
  return null;
}

function intIn(v: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(v.trim())) return null;
  const n = Number(v);
  return n >= min && n <= max ? n : null;
}

export function CreateInstanceView({ org, project }: Scope) {
  const trpc = useTRPC();
  const router = useRouter();
  const scope = { org, project };
  const long = { staleTime: 5 * 60_000 };

  // --- region and zone
  const regions = useQuery({ ...trpc.common.listRegions.queryOptions(), ...long });
  const prefs = useQuery({ ...trpc.prefs.getPreferences.queryOptions(), ...long });
  const [chosenRegion, setChosenRegion] = useState<string | null>(null);
  const okRegions = (regions.data?.items ?? []).filter((r) => r.status === "ok");
  const region =
    chosenRegion ??
    okRegions.find((r) => r.name === prefs.data?.defaultRegion)?.name ??
    okRegions[0]?.name ??
    null;
  const zones = okRegions.find((r) => r.name === region)?.availabilityZones ?? [];
  const [zone, setZone] = useState("");

  // --- basics
  const [name, setName] = useState("");
  const [count, setCount] = useState("1");
  const [description, setDescription] = useState("");
  const countN = intIn(count, 1, 20) ?? 1;

  // --- catalogue of the region
  const inRegion = { org, project, region: region ?? undefined, limit: 500 };
  const enabled = Boolean(region);
  const images = useQuery({ ...trpc.compute.listImages.queryOptions(inRegion), enabled, ...long });
  const flavors = useQuery({ ...trpc.compute.listFlavors.queryOptions(inRegion), enabled, ...long });
  const networks = useQuery({ ...trpc.network.listNetworks.queryOptions(inRegion), enabled, ...long });
  const subnets = useQuery({ ...trpc.network.listSubnets.queryOptions(inRegion), enabled, ...long });
  const groups = useQuery({ ...trpc.network.listSecurityGroups.queryOptions(inRegion), enabled, ...long });
  const keypairs = useQuery({ ...trpc.compute.listKeypairs.queryOptions(inRegion), enabled });
  const quotas = useQuery({ ...trpc.quota.getProjectQuotas.queryOptions({ org, project }), retry: false });

  const [image, setImage] = useState<Image | null>(null);
  const [flavor, setFlavor] = useState<Flavor | null>(null);

  // --- storage
  const [boot, setBoot] = useState<"image" | "volume">("image");
  const [rootSize, setRootSize] = useState("");
  const [rootType, setRootType] = useState("");
  const [rootDelete, setRootDelete] = useState(true);
  const [extra, setExtra] = useState<ExtraVolume[]>([]);

  // --- network (defaults until the user picks)
  const [chosenNetwork, setChosenNetwork] = useState<string | null>(null);
  const [chosenSubnet, setChosenSubnet] = useState<string | null>(null);
  const [chosenGroups, setChosenGroups] = useState<string[] | null>(null);
  const usableNetworks = (networks.data?.items ?? []).filter((n) => !n.external);
  const networkId =
    chosenNetwork ?? (usableNetworks.find((n) => n.isDefault) ?? usableNetworks[0])?.providerId ?? null;
  const network = usableNetworks.find((n) => n.providerId === networkId) ?? null;
  const networkSubnets = (subnets.data?.items ?? []).filter((s) => s.networkId === networkId);
  const subnetId =
    chosenSubnet && networkSubnets.some((s) => s.providerId === chosenSubnet)
      ? chosenSubnet
      : ((networkSubnets.find((s) => s.isDefault) ?? networkSubnets[0])?.providerId ?? null);
  const groupIds =
    chosenGroups ?? (groups.data?.items ?? []).filter((g) => g.name === "default").map((g) => g.providerId);

  // --- access
  const [keyMode, setKeyMode] = useState<"existing" | "new" | "none">("existing");
  const [keyName, setKeyName] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedKeypair | null>(null);
  const regionKeys = keypairs.data?.items ?? [];
  const effectiveKey =
    keyMode === "none" ? null : (keyName ?? (keyMode === "existing" ? (regionKeys[0]?.name ?? null) : null));
  const [userData, setUserData] = useState("");
  const userDataError = checkUserData(userData);

  // --- labels
  const [labels, setLabels] = useState<LabelPair[]>([]);

  const changeRegion = (r: string) => {
    setChosenRegion(r);
    setZone("");
    setImage(null);
    setFlavor(null);
    setChosenNetwork(null);
    setChosenSubnet(null);
    setChosenGroups(null);
    setKeyName(null);
    setCreated(null);
  };

  // --- quota: what is left for this project (limit - used - reserved)
  const q = quotas.data as { limits: QuotaFigures; usage: QuotaFigures; reserved: QuotaFigures } | undefined;
  const inUse = (r: string) => (q ? (q.usage[r] ?? 0) + (q.reserved[r] ?? 0) : 0);
  const left = (r: string) => (q ? (q.limits[r] ?? 0) - inUse(r) : Infinity);
  const flavorRefusal = (f: Flavor): string | null => {
    if (image && image.minRamMb > f.ramMb)
      return `${image.name} needs at least ${formatRam(image.minRamMb)} RAM`;
    if (!q) return null;
    const short: string[] = [];
    if (countN > left("instances")) short.push(`${Math.max(0, left("instances"))} instances left`);
    if (countN * f.vcpus > left("vcpus")) short.push(`${Math.max(0, left("vcpus"))} vCPUs left`);
    if (countN * ramGb(f.ramMb) > left("ramGb")) short.push(`${Math.max(0, left("ramGb"))} GB RAM left`);
    return short.length ? `Over quota: ${short.join(", ")}${countN > 1 ? ` (for ${countN})` : ""}` : null;
  };

  const rootSizeN = intIn(rootSize || String(Math.max(image?.minDiskGb ?? 0, 10)), 1, 16384);
  const storageErrors = (): string[] => {
    const out: string[] = [];
    if (boot === "image" && image && flavor && flavor.diskGb > 0 && flavor.diskGb < image.minDiskGb)
      out.push(
        `${flavor.name}'s ${flavor.diskGb} GB disk is smaller than ${image.name}'s minimum (${image.minDiskGb} GB): boot from a volume or pick a larger flavor`,
      );
    if (boot === "volume") {
      if (rootSizeN === null) out.push("Enter the boot volume size in whole GB (1-16384)");
      else if (image && rootSizeN < image.minDiskGb)
        out.push(`The boot volume must hold at least ${image.minDiskGb} GB (the image's minimum disk)`);
    }
    extra.forEach((v, i) => {
      if (intIn(v.sizeGb, 1, 16384) === null) out.push(`Volume ${i + 1}: enter a size in whole GB (1-16384)`);
    });
    return out;
  };

  const volumesPer = (boot === "volume" ? 1 : 0) + extra.length;
  const volumeGbPer =
    (boot === "volume" ? (rootSizeN ?? 0) : 0) +
    extra.reduce((s, v) => s + (intIn(v.sizeGb, 1, 16384) ?? 0), 0);
  const quotaImpact: QuotaImpactRow[] | undefined = q
    ? [
        {
          resource: "instances",
          label: "Instances",
          inUse: inUse("instances"),
          request: countN,
          limit: q.limits.instances ?? 0,
        },
        {
          resource: "vcpus",
          label: "vCPUs",
          inUse: inUse("vcpus"),
          request: countN * (flavor?.vcpus ?? 0),
          limit: q.limits.vcpus ?? 0,
        },
        {
          resource: "ramGb",
          label: "RAM",
          unit: "GB",
          inUse: inUse("ramGb"),
          request: countN * (flavor ? ramGb(flavor.ramMb) : 0),
          limit: q.limits.ramGb ?? 0,
        },
        ...(volumesPer > 0
          ? [
              {
                resource: "volumes",
                label: "Volumes",
                inUse: inUse("volumes"),
                request: countN * volumesPer,
                limit: q.limits.volumes ?? 0,
              },
              {
                resource: "volumeGb",
                label: "Volume storage",
                unit: "GB",
                inUse: inUse("volumeGb"),
                request: countN * volumeGbPer,
                limit: q.limits.volumeGb ?? 0,
              },
            ]
          : []),
      ]
    : undefined;

  const create = useMutation(trpc.compute.createInstances.mutationOptions());
  const submit = async () => {
    if (!region || !image || !flavor || !networkId) return;
    const res = await create.mutateAsync({
      org,
      project,
      name: name.trim(),
      description: description.trim() || undefined,
      region,
      availabilityZone: zone || undefined,
      imageId: image.providerId,
      flavorId: flavor.providerId,
      networkId,
      subnetId: subnetId ?? undefined,
      securityGroupIds: groupIds,
      keyPairName: effectiveKey ?? undefined,
      userData: userData.trim() ? userData : undefined,
      rootVolume:
        boot === "volume" && rootSizeN
          ? { sizeGb: rootSizeN, volumeType: rootType.trim() || undefined, deleteOnTermination: rootDelete }
          : undefined,
      additionalVolumes: extra.length
        ? extra.map((v) => ({ sizeGb: Number(v.sizeGb), volumeType: v.volumeType.trim() || undefined }))
        : undefined,
      count: countN,
      labels: labels.length ? pairsToLabels(labels) : undefined,
    });
    router.push(`/${org}/${project}/compute/instances/${res.instance.id}`);
  };

  const header = (
    <PageHeader
      title="Create instance"
      description="Virtual machines boot from an image with a flavor's CPU and memory, on one of the project's networks."
      breadcrumbs={[
        { label: project, href: `/${org}/${project}` },
        { label: "Instances", href: `/${org}/${project}/compute/instances` },
        { label: "Create" },
      ]}
    />
  );

  if (regions.isError)
    return (
      <div className="flex flex-col gap-6">
        {header}
        <ErrorState error={regions.error} onRetry={() => void regions.refetch()} />
      </div>
    );

  return (
    <div className="flex flex-col gap-6">
      {header}
      <Card>
        <CardContent className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <Field label="Region" hint="Images, flavors, networks and key pairs are per region">
            {regions.isPending ? (
              <Skeleton className="h-9" />
            ) : (
              <Select
                value={region ?? ""}
                onChange={(e) => changeRegion(e.target.value)}
                options={(regions.data?.items ?? []).map((r) => ({
                  value: r.name,
                  label: r.status === "ok" ? r.name : `${r.name} (not answering)`,
                  disabled: r.status !== "ok",
                }))}
                data-testid="wizard-region"
              />
            )}
          </Field>
          <Field label="Availability zone" hint="Any: the cloud picks one with room">
            <Select
              value={zone}
              onChange={(e) => setZone(e.target.value)}
              options={[{ value: "", label: "Any zone" }, ...zones.map((z) => ({ value: z, label: z }))]}
              disabled={!region}
            />
          </Field>
        </CardContent>
      </Card>

      <Wizard
        key={region ?? "none"}
        submitLabel={countN > 1 ? `Create ${countN} instances` : "Create instance"}
        onCancel={() => router.push(`/${org}/${project}/compute/instances`)}
        onSubmit={submit}
        quotaImpact={quotaImpact}
        overQuotaAction={
          <Link
            href={`/${org}/quota-requests/new`}
            className={buttonClasses({ variant: "outline", size: "sm" })}
          >
            Request an increase
          </Link>
        }
        steps={[
          {
            id: "basics",
            title: "Basics",
            description: "Name the instance; several get the name with -1, -2… appended.",
            validate: () => {
              const errs = [
                nameError(name, countN),
                intIn(count, 1, 20) === null ? "Create 1 to 20 instances" : null,
              ];
              if (description.length > 255) errs.push("Keep the description under 255 characters");
              return errs.filter((e): e is string => Boolean(e));
            },
            content: (
              <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
                <Field
                  label="Name"
                  required
                  hint={
                    countN > 1
                      ? `${name.trim() || "name"}-1 … ${name.trim() || "name"}-${countN}`
                      : "Letters, digits, dots, dashes and underscores"
                  }
                >
                  <Input
                    value={name}
                    onChange={(e) => setName(e.target.value)}
                    placeholder="web"
                    autoComplete="off"
                    autoFocus
                    data-testid="instance-name"
                  />
                </Field>
                <Field label="Count" required>
                  <Input
                    type="number"
                    min={1}
                    max={20}
                    value={count}
                    onChange={(e) => setCount(e.target.value)}
                  />
                </Field>
                <div className="sm:col-span-2">
                  <Field label="Description">
                    <Textarea
                      value={description}
                      onChange={(e) => setDescription(e.target.value)}
                      rows={2}
                      maxLength={255}
                    />
                  </Field>
                </div>
              </div>
            ),
          },
          {
            id: "image",
            title: "Image",
            description: "The operating system the instance boots.",
            validate: () => (image ? null : "Choose an image"),
            content: (
              <ImagePicker
                images={(images.data?.items ?? []).filter((i) => i.status.toLowerCase() === "active")}
                loading={images.isPending}
                value={image?.providerId ?? null}
                onChange={setImage}
              />
            ),
          },
          {
            id: "flavor",
            title: "Flavor",
            description:
              "CPU, memory and local disk. Flavors the project's remaining quota cannot hold are disabled.",
            validate: () => {
              if (!flavor) return "Choose a flavor";
              return flavorRefusal(flavor);
            },
            content: (
              <div className="flex flex-col gap-3">
                {quotas.isError ? (
                  <Alert tone="info">
                    Your role cannot read this project&apos;s quotas: the server checks them when you create.
                  </Alert>
                ) : null}
                <FlavorPicker
                  flavors={flavors.data?.items ?? []}
                  loading={flavors.isPending}
                  value={flavor?.providerId ?? null}
                  onChange={setFlavor}
                  disabledReason={flavorRefusal}
                />
              </div>
            ),
          },
          {
            id: "storage",
            title: "Storage",
            description: "Where the system disk lives, and extra blank volumes.",
            validate: storageErrors,
            content: (
              <div className="flex flex-col gap-5">
                <div role="radiogroup" aria-label="Boot disk" className="grid gap-2 sm:grid-cols-2">
                  {(
                    [
                      [
                        "image",
                        "Local disk",
                        `The flavor's disk${flavor ? ` (${flavor.diskGb} GB)` : ""}; deleted with the instance.`,
                      ],
                      [
                        "volume",
                        "New volume",
                        "A block storage volume: survives a host failure, can be resized and kept.",
                      ],
                    ] as const
                  ).map(([id, title, text]) => (
                    <label
                      key={id}
                      className="flex cursor-pointer gap-3 rounded-lg border border-border p-3 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary-soft"
                    >
                      <input
                        type="radio"
                        name="boot"
                        className="mt-0.5 accent-primary"
                        checked={boot === id}
                        onChange={() => setBoot(id)}
                      />
                      <span className="flex flex-col gap-0.5">
                        <span className="font-medium">{title}</span>
                        <span className="text-xs text-muted-foreground">{text}</span>
                      </span>
                    </label>
                  ))}
                </div>
                {boot === "volume" ? (
                  <div className="grid gap-4 sm:grid-cols-3">
                    <Field
                      label="Size (GB)"
                      required
                      hint={image ? `At least ${image.minDiskGb} GB for ${image.name}` : undefined}
                    >
                      <Input
                        type="number"
                        min={image?.minDiskGb ?? 1}
                        value={rootSize || String(Math.max(image?.minDiskGb ?? 0, 10))}
                        onChange={(e) => setRootSize(e.target.value)}
                      />
                    </Field>
                    <Field label="Volume type" hint="Empty: the region's default type">
                      <Input
                        value={rootType}
                        onChange={(e) => setRootType(e.target.value)}
                        placeholder="default"
                      />
                    </Field>
                    <div className="flex items-end pb-2">
                      <Field label="Delete with the instance" inline>
                        <Checkbox checked={rootDelete} onChange={(e) => setRootDelete(e.target.checked)} />
                      </Field>
                    </div>
                  </div>
                ) : null}
                <section className="flex flex-col gap-2" aria-labelledby="extra-volumes">
                  <h3 id="extra-volumes" className="text-sm font-medium">
                    Additional volumes
                  </h3>
                  <p className="text-xs text-muted-foreground">
                    Blank volumes created, attached at boot and deleted with the instance.
                  </p>
                  {extra.map((v, i) => (
                    <div key={i} className="grid grid-cols-[10rem_1fr_auto] items-end gap-2">
                      <Field label={`Volume ${i + 1} (GB)`}>
                        <Input
                          type="number"
                          min={1}
                          value={v.sizeGb}
                          onChange={(e) =>
                            setExtra(extra.map((x, j) => (j === i ? { ...x, sizeGb: e.target.value } : x)))
                          }
                        />
                      </Field>
                      <Field label="Type">
                        <Input
                          value={v.volumeType}
                          placeholder="default"
                          onChange={(e) =>
                            setExtra(
                              extra.map((x, j) => (j === i ? { ...x, volumeType: e.target.value } : x)),
                            )
                          }
                        />
                      </Field>
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Remove volume ${i + 1}`}
                        onClick={() => setExtra(extra.filter((_, j) => j !== i))}
                      >
                        <Trash2 className="size-4" />
                      </Button>
                    </div>
                  ))}
                  <div>
                    <Button
                      variant="outline"
                      size="sm"
                      icon={<Plus />}
                      disabled={extra.length >= MAX_VOLUMES}
                      onClick={() => setExtra([...extra, { sizeGb: "20", volumeType: "" }])}
                    >
                      Add volume
                    </Button>
                  </div>
                </section>
              </div>
            ),
          },
          {
            id: "network",
            title: "Network",
            description:
              "The network and subnet of the first interface, and the firewall rules (security groups).",
            validate: () => (networkId ? null : "Choose a network (the project has none in this region)"),
            content:
              networks.isPending || subnets.isPending || groups.isPending ? (
                <Skeleton className="h-40" />
              ) : (
                <div className="flex flex-col gap-5">
                  <div className="grid gap-4 sm:grid-cols-2">
                    <Field label="Network" required>
                      <Select
                        value={networkId ?? ""}
                        onChange={(e) => {
                          setChosenNetwork(e.target.value);
                          setChosenSubnet(null);
                        }}
                        placeholder={usableNetworks.length ? undefined : "No network in this region"}
                        options={usableNetworks.map((n) => ({
                          value: n.providerId,
                          label: `${n.name}${n.isDefault ? " (default)" : ""}`,
                        }))}
                      />
                    </Field>
                    <Field label="Subnet" hint="The fixed IP comes from it">
                      <Select
                        value={subnetId ?? ""}
                        onChange={(e) => setChosenSubnet(e.target.value)}
                        disabled={networkSubnets.length === 0}
                        placeholder={networkSubnets.length ? undefined : "No subnet"}
                        options={networkSubnets.map((s) => ({
                          value: s.providerId,
                          label: `${s.name} · ${s.cidr}`,
                        }))}
                      />
                    </Field>
                  </div>
                  <fieldset className="flex flex-col gap-2">
                    <legend className="mb-1.5 text-sm font-medium">Security groups</legend>
                    {(groups.data?.items ?? []).length === 0 ? (
                      <p className="text-sm text-muted-foreground">No security group in this region.</p>
                    ) : (
                      <div className="grid gap-2 sm:grid-cols-2">
                        {(groups.data?.items ?? []).map((g) => (
                          <label
                            key={g.id}
                            className="flex cursor-pointer items-start gap-2 rounded-md border border-border p-2.5 text-sm has-[:checked]:border-primary"
                          >
                            <Checkbox
                              checked={groupIds.includes(g.providerId)}
                              onChange={(e) =>
                                setChosenGroups(
                                  e.target.checked
                                    ? [...groupIds, g.providerId]
                                    : groupIds.filter((x) => x !== g.providerId),
                                )
                              }
                            />
                            <span className="flex min-w-0 flex-col">
                              <span className="font-medium">{g.name}</span>
                              <span className="truncate text-xs text-muted-foreground">
                                {g.description || `${g.rules.length} rules`}
                              </span>
                            </span>
                          </label>
                        ))}
                      </div>
                    )}
                  </fieldset>
                </div>
              ),
          },
          {
            id: "access",
            title: "Access",
            description: "The SSH key put on the instance, and cloud-init user data run at first boot.",
            validate: () => {
              const errs: string[] = [];
              if (keyMode === "existing" && !effectiveKey)
                errs.push("Choose a key pair, create one, or go without");
              if (keyMode === "new" && !created)
                errs.push("Create the key pair first (or choose another option)");
              if (userDataError) errs.push(`User data: ${userDataError}`);
              return errs;
            },
            content: (
              <div className="flex flex-col gap-5">
                <div role="radiogroup" aria-label="Key pair" className="grid gap-2 sm:grid-cols-3">
                  {(
                    [
                      ["existing", "Use a key pair", `${regionKeys.length} in ${region ?? "the region"}`],
                      ["new", "Create or import", "A new key, or a public key you have"],
                      ["none", "No key pair", "Sign in through the console or user data"],
                    ] as const
                  ).map(([id, title, text]) => (
                    <label
                      key={id}
                      className="flex cursor-pointer gap-3 rounded-lg border border-border p-3 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary-soft"
                    >
                      <input
                        type="radio"
                        name="key-mode"
                        className="mt-0.5 accent-primary"
                        checked={keyMode === id}
                        onChange={() => {
                          setKeyMode(id);
                          if (id === "existing") setKeyName(null);
                          if (id === "new") setKeyName(created?.name ?? null);
                        }}
                      />
                      <span className="flex flex-col gap-0.5">
                        <span className="font-medium">{title}</span>
                        <span className="text-xs text-muted-foreground">{text}</span>
                      </span>
                    </label>
                  ))}
                </div>
                {keyMode === "existing" ? (
                  <Field label="Key pair">
                    <Select
                      value={effectiveKey ?? ""}
                      onChange={(e) => setKeyName(e.target.value)}
                      placeholder={regionKeys.length ? undefined : "No key pair in this region"}
                      options={regionKeys.map((k) => ({
                        value: k.name,
                        label: k.fingerprint ? `${k.name} · ${k.fingerprint}` : k.name,
                      }))}
                    />
                  </Field>
                ) : null}
                {keyMode === "new" && region ? (
                  created ? (
                    <PrivateKeyOnce keypair={created} />
                  ) : (
                    <CreateKeypairForm
                      scope={scope}
                      regions={[region]}
                      region={region}
                      onCreated={(k) => {
                        setCreated(k);
                        setKeyName(k.name);
                      }}
                    />
                  )
                ) : null}
                <Field
                  label="User data (cloud-init)"
                  hint="#cloud-config YAML, or a script starting with #! — run once at first boot"
                  error={userDataError ?? undefined}
                >
                  <Textarea
                    value={userData}
                    onChange={(e) => setUserData(e.target.value)}
                    rows={8}
                    className="font-mono text-xs"
                    spellCheck={false}
                    placeholder={"#cloud-config\npackages:\n  - nginx"}
                    data-testid="user-data"
                  />
                </Field>
              </div>
            ),
          },
          {
            id: "labels",
            title: "Labels",
            description: "Key/value pairs to find and group instances (at most five).",
            validate: () => (hasLabelErrors(validateLabelPairs(labels)) ? "Fix the labels" : null),
            content: <LabelsEditor value={labels} onChange={setLabels} />,
          },
        ]}
        review={
          <KeyValueList
            columns={2}
            items={[
              {
                label: "Name",
                value: countN > 1 ? `${name.trim()}-1 … ${name.trim()}-${countN}` : name.trim(),
              },
              { label: "Region / zone", value: `${region ?? "—"} / ${zone || "any zone"}` },
              {
                label: "Image",
                value: image ? `${image.name}${osLabel(image) ? ` (${osLabel(image)})` : ""}` : "—",
              },
              { label: "Flavor", value: flavor ? `${flavor.name} · ${flavorShape(flavor)}` : "—" },
              {
                label: "Boot disk",
                value:
                  boot === "volume"
                    ? `New volume, ${rootSizeN ?? "?"} GB${rootType.trim() ? ` (${rootType.trim()})` : ""}${rootDelete ? ", deleted with the instance" : ", kept"}`
                    : `Local disk${flavor ? `, ${flavor.diskGb} GB` : ""}`,
              },
              {
                label: "Additional volumes",
                value: extra.length ? extra.map((v) => `${v.sizeGb} GB`).join(", ") : "None",
              },
              {
                label: "Network",
                value: network
                  ? `${network.name}${subnetId ? ` / ${networkSubnets.find((s) => s.providerId === subnetId)?.cidr ?? subnetId}` : ""}`
                  : "—",
              },
              {
                label: "Security groups",
                value: groupIds.length
                  ? (groups.data?.items ?? [])
                      .filter((g) => groupIds.includes(g.providerId))
                      .map((g) => g.name)
                      .join(", ")
                  : "None",
              },
              { label: "Key pair", value: effectiveKey ?? "None" },
              {
                label: "User data",
                value: userData.trim()
                  ? `${userData.trim().split("\n")[0]} (${userData.length} characters)`
                  : "None",
              },
              {
                label: "Labels",
                value: labels.length ? (
                  <span className="flex flex-wrap gap-1">
                    {labels.map((l) => (
                      <Badge key={l.key} className="font-mono">
                        {l.key}={l.value}
                      </Badge>
                    ))}
                  </span>
                ) : (
                  "None"
                ),
              },
              ...(description.trim() ? [{ label: "Description", value: description.trim() }] : []),
            ]}
          />
        }
      />
    </div>
  );
}
