// Helpers for the simulator's own tests: start an in-process sim, log in as admin or as a fresh
// member of a new project, call services by catalog type, and wait for asynchronous states.
import { startSim } from "./server";
import type { SimHandle, SimOptions } from "./server";

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON (undefined when the body is empty or not JSON); read it with `at`. */
  body: unknown;
  text: string;
}

export type Obj = Record<string, unknown>;

/** Reads a dotted path ("servers.0.id") out of parsed JSON; undefined where it leads nowhere. */
export function at(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const key of path.split(".")) {
    if (key === "") continue;
    if (Array.isArray(cur)) cur = cur[Number(key)] as unknown;
    else if (typeof cur === "object" && cur !== null) cur = (cur as Obj)[key];
    else return undefined;
  }
  return cur;
}

export function text(value: unknown, path = ""): string {
  const v = at(value, path);
  if (typeof v !== "string") throw new Error(`expected a string at "${path}", got ${JSON.stringify(v)}`);
  return v;
}

export function list(value: unknown, path = ""): Obj[] {
  const v = at(value, path);
  if (!Array.isArray(v)) throw new Error(`expected an array at "${path}", got ${JSON.stringify(v)}`);
  return v as Obj[];
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Compute microversion, sent as OpenStack-API-Version. */
  mv?: string;
  raw?: Buffer | string;
}

export class Session {
  constructor(
    readonly sim: SimHandle,
    readonly token: string,
    readonly projectId: string,
    readonly userId: string,
    readonly region = "region-one",
  ) {}

  url(service: "compute" | "network" | "volume" | "image" | "prometheus" | "identity", path: string): string {
    if (service === "identity") return `${this.sim.url}/identity/v3${path}`;
    const base = `${this.sim.url}/${this.region}`;
    if (service === "compute") return `${base}/compute/v2.1${path}`;
    if (service === "network") return `${base}/network/v2.0${path}`;
    if (service === "volume") return `${base}/volume/v3/${this.projectId}${path}`;
    if (service === "image") return `${base}/image/v2${path}`;
    return `${base}/prometheus/api/v1${path}`;
  }

  inRegion(region: string): Session {
    return new Session(this.sim, this.token, this.projectId, this.userId, region);
  }

  call(
    method: string,
    service: Parameters<Session["url"]>[0],
    path: string,
    opts: CallOptions = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { "X-Auth-Token": this.token, ...opts.headers };
    if (opts.mv) headers["OpenStack-API-Version"] = `compute ${opts.mv}`;
    return request(method, this.url(service, path), { ...opts, headers });
  }

  nova(method: string, path: string, body?: unknown, mv = "2.93"): Promise<Reply> {
    return this.call(method, "compute", path, { body, mv });
  }
}

export async function request(method: string, url: string, opts: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  let payload: string | Blob | undefined;
  if (opts.raw !== undefined)
    payload = typeof opts.raw === "string" ? opts.raw : new Blob([new Uint8Array(opts.raw)]);
  else if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    headers["Content-Type"] ??= "application/json";
  }
  const res = await fetch(url, { method, headers, body: payload });
  const raw = await res.text();
  let body: unknown = undefined;
  try {
    body = raw.length > 0 ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text: raw };
}

export function startTestSim(opts: SimOptions = {}): Promise<SimHandle> {
  return startSim({ port: 0, fast: true, dataDir: null, ...opts });
}

/** Password login with a project scope, as openstacksdk does it. */
export async function login(
  sim: SimHandle,
  user: string,
  password: string,
  project: string,
): Promise<Session> {
  const res = await request("POST", `${sim.authUrl}/auth/tokens`, {
    body: {
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: user, domain: { id: "default" }, password } },
        },
        scope: { project: { name: project, domain: { id: "default" } } },
      },
    },
  });
  if (res.status !== 201) throw new Error(`login as ${user} failed: ${res.status} ${res.text}`);
  const token = res.headers.get("x-subject-token") ?? "";
  return new Session(sim, token, text(res.body, "token.project.id"), text(res.body, "token.user.id"));
}

export function loginAdmin(sim: SimHandle, password = "sim-admin"): Promise<Session> {
  return login(sim, "admin", password, "admin");
}

/** A new project with a user holding the member role on it, logged in. */
export async function newMember(admin: Session, name: string): Promise<Session> {
  const project = await admin.call("POST", "identity", "/projects", {
    body: { project: { name, domain_id: "default" } },
  });
  const user = await admin.call("POST", "identity", "/users", {
    body: { user: { name, password: `${name}-pw`, domain_id: "default" } },
  });
  const roles = await admin.call("GET", "identity", "/roles?name=member");
  const roleId = text(roles.body, "roles.0.id");
  const grant = await admin.call(
    "PUT",
    "identity",
    `/projects/${text(project.body, "project.id")}/users/${text(user.body, "user.id")}/roles/${roleId}`,
  );
  if (grant.status !== 204) throw new Error(`grant failed: ${grant.status}`);
  return login(admin.sim, name, `${name}-pw`, name);
}

/** Runs `fn` with the sim's transition clock stopped, so intermediate states stay put. */
export async function frozen<T>(sim: SimHandle, fn: () => Promise<T>): Promise<T> {
  const set = (paused: boolean): Promise<Reply> =>
    request("POST", `${sim.url}/_sim/scheduler`, { body: { paused } });
  await set(true);
  try {
    return await fn();
  } finally {
    await set(false);
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 15));
    last = await probe();
  }
  return last;
}

/** Polls a server until its status (and an empty task state) is reached. */
export async function waitServer(s: Session, id: string, status: string, timeoutMs = 15_000): Promise<Obj> {
  const reply = await waitFor(
    `server ${id} to be ${status}`,
    () => s.nova("GET", `/servers/${id}`),
    (r) =>
      r.status === 200 &&
      at(r.body, "server.status") === status &&
      at(r.body, "server.OS-EXT-STS:task_state") === null,
    timeoutMs,
  );
  return at(reply.body, "server") as Obj;
}

export async function waitGone(s: Session, id: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    `server ${id} to be gone`,
    () => s.nova("GET", `/servers/${id}`),
    (r) => r.status === 404,
    timeoutMs,
  );
}

/** A private network with one IPv4 subnet, for booting servers. */
export async function makeNetwork(
  s: Session,
  name: string,
  cidr = "10.10.0.0/24",
): Promise<{ networkId: string; subnetId: string }> {
  const net = await s.call("POST", "network", "/networks", { body: { network: { name } } });
  const sub = await s.call("POST", "network", "/subnets", {
    body: { subnet: { name: `${name}-subnet`, network_id: at(net.body, "network.id"), cidr, ip_version: 4 } },
  });
  return { networkId: text(net.body, "network.id"), subnetId: text(sub.body, "subnet.id") };
}

export async function imageId(s: Session, name: string): Promise<string> {
  const r = await s.call("GET", "image", `/images?name=${encodeURIComponent(name)}`);
  return text(r.body, "images.0.id");
}

/** Boots a server and waits for ACTIVE; returns its id. */
export async function bootServer(
  s: Session,
  name: string,
  networkId: string | null,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const image = await imageId(s, "cirros-0.6.2");
  const r = await s.nova("POST", "/servers", {
    server: {
      name,
      flavorRef: "1",
      imageRef: image,
      networks: networkId ? [{ uuid: networkId }] : "none",
      ...extra,
    },
  });
  if (r.status !== 202) throw new Error(`boot failed: ${r.status} ${r.text}`);
  const id = text(r.body, "server.id");
  await waitServer(s, id, "ACTIVE");
  return id;
}
