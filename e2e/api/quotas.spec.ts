// Quotas, quota requests and the operator API over REST: the exact shapes of the answers, the
// carving rules with their problem+json refusals, decisions (409 for the loser), and who may call
// what (403 for operator paths, 404 for another organisation's things). Numbers are read first so
// the spec holds whatever other specs did to the shared demo data.
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { bearer, tokenFor } from "../fixtures/api";

const T = "/api/tenant/v1";
const OPS = "/api/ops/v1";
const RESOURCES = [
  "buckets",
  "clusters",
  "elasticIps",
  "fileStorageGb",
  "instances",
  "loadBalancers",
  "objectStorageGb",
  "ramGb",
  "registryGb",
  "snapshots",
  "volumeGb",
  "volumes",
  "vcpus",
  "vpcs",
].sort();
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

type PerResource<T> = Record<string, T>;
interface Figures {
  limits: PerResource<number>;
  usage: PerResource<number>;
  reserved: PerResource<number>;
  health: PerResource<string>;
}
interface OrgQuotas extends Figures {
  org: { id: string; slug: string; name: string };
  allocated: PerResource<number>;
  available: PerResource<number>;
  projects: (Figures & { id: string; slug: string; name: string; status: string })[];
}
interface ProjectQuotas extends Figures {
  project: { id: string; slug: string; name: string };
  available: PerResource<number> | null;
}
interface QuotaRequest {
  id: string;
  org: { slug: string };
  project: { slug: string } | null;
  requester: { email: string } | null;
  description: string;
  priority: string;
  resources: { resource: string; limit: number; previousLimit: number }[];
  tags: string[];
  status: "pending" | "approved" | "rejected";
  decidedBy: { email: string } | null;
  decidedAt: string | null;
  decisionComment: string | null;
  createdAt: string;
  changes?: { scope: string; resource: string; before: number; after: number }[];
}
interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  field?: string;
  requestId?: string;
}

async function ok<T>(res: APIResponse, status = 200): Promise<T> {
  expect(res.status(), await res.text()).toBe(status);
  expect(res.headers()["content-type"]).toContain("application/json");
  return (await res.json()) as T;
}

async function problem(res: APIResponse, status: number): Promise<Problem> {
  expect(res.status(), await res.text()).toBe(status);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  const body = (await res.json()) as Problem;
  expect(body).toMatchObject({ status, requestId: expect.any(String) });
  return body;
}

function expectFigures(f: Figures): void {
  for (const map of [f.limits, f.usage, f.reserved]) {
    expect(Object.keys(map).sort()).toEqual(RESOURCES);
    for (const v of Object.values(map)) expect(Number.isInteger(v)).toBe(true);
  }
  expect(Object.keys(f.health).sort()).toEqual(RESOURCES);
  for (const h of Object.values(f.health)) expect(["ok", "warning", "critical", "exhausted"]).toContain(h);
}

let admin: Record<string, string>;
let dev: Record<string, string>;
let ops: Record<string, string>;
let globex: Record<string, string>;
let viewer: Record<string, string>;
test.beforeAll(async ({ request }) => {
  [admin, dev, ops, globex, viewer] = (
    await Promise.all(
      [
        "admin@acme.example",
        "dev@acme.example",
        "ops@cirrus.example",
        "admin@globex.example",
        "viewer@acme.example",
      ].map((e) => tokenFor(request, e)),
    )
  ).map(bearer) as [typeof admin, typeof dev, typeof ops, typeof globex, typeof viewer];
});

test.describe("quotas", () => {
  test("GET the organisation's quotas: limits, usage, reserved, health, allocation, projects", async ({
    request,
  }) => {
    const q = await ok<OrgQuotas>(await request.get(`${T}/organizations/acme/quotas`, { headers: admin }));
    expectFigures(q);
    expect(q.org.slug).toBe("acme");
    expect(Object.keys(q.allocated).sort()).toEqual(RESOURCES);
    for (const r of RESOURCES) {
      expect(q.available[r]).toBe(Math.max(0, q.limits[r]! - q.allocated[r]!));
      // Org usage is the sum over its projects.
      expect(q.usage[r]).toBe(q.projects.reduce((n, p) => n + p.usage[r]!, 0));
      expect(q.allocated[r]).toBe(q.projects.reduce((n, p) => n + p.limits[r]!, 0));
    }
    expect(q.projects.map((p) => p.slug)).toEqual(expect.arrayContaining(["web", "data"]));
    q.projects.forEach(expectFigures);
  });

  test("GET a project's quotas; the org's room only for those who may read it", async ({ request }) => {
    const mine = await ok<ProjectQuotas>(await request.get(`${T}/projects/web/quotas`, { headers: dev }));
    expectFigures(mine);
    expect(mine.project.slug).toBe("web");
    expect(mine.available).toBeNull();
    const adminView = await ok<ProjectQuotas>(
      await request.get(`${T}/projects/web/quotas`, { headers: admin }),
    );
    expect(Object.keys(adminView.available!).sort()).toEqual(RESOURCES);
  });

  test("PUT changes only the named limits and answers the new figures", async ({ request }) => {
    const before = await ok<ProjectQuotas>(
      await request.get(`${T}/projects/data/quotas`, { headers: admin }),
    );
    test.skip(before.available!.snapshots! < 1, "acme has no snapshots left to allocate");
    const up = await ok<ProjectQuotas & { changes: unknown[] }>(
      await request.put(`${T}/projects/data/quotas`, {
        headers: admin,
        data: { limits: { snapshots: before.limits.snapshots! + 1 } },
      }),
    );
    expect(up.limits.snapshots).toBe(before.limits.snapshots! + 1);
    expect(up.limits.volumes).toBe(before.limits.volumes);
    expect(up.changes).toEqual([
      {
        scope: "project",
        resource: "snapshots",
        before: before.limits.snapshots,
        after: before.limits.snapshots! + 1,
      },
    ]);
    await ok(
      await request.put(`${T}/projects/data/quotas`, {
        headers: admin,
        data: { limits: { snapshots: before.limits.snapshots } },
      }),
    );
  });

  test("PUT beyond what the organisation has left is 422 naming the resource and the numbers", async ({
    request,
  }) => {
    const before = await ok<ProjectQuotas>(
      await request.get(`${T}/projects/data/quotas`, { headers: admin }),
    );
    const asked = before.limits.snapshots! + before.available!.snapshots! + 1000;
    const p = await problem(
      await request.put(`${T}/projects/data/quotas`, {
        headers: admin,
        data: { limits: { snapshots: asked } },
      }),
      422,
    );
    expect(p).toMatchObject({ code: "QUOTA_EXCEEDED", title: "Quota exceeded", field: "limits.snapshots" });
    expect(p.detail).toMatch(
      new RegExp(
        `^Snapshots: raising data from ${before.limits.snapshots} to ${asked} needs \\d+ more, but Acme Corp has only \\d+ left to allocate \\(limit \\d+, \\d+ allocated to projects\\)\\.`,
      ),
    );
    const after = await ok<ProjectQuotas>(await request.get(`${T}/projects/data/quotas`, { headers: admin }));
    expect(after.limits.snapshots).toBe(before.limits.snapshots);
  });

  for (const [what, body, field, detail] of [
    ["an unknown resource", { limits: { gpus: 4 } }, "limits", 'limits: Unrecognized key: "gpus"'],
    [
      "a negative limit",
      { limits: { volumes: -1 } },
      "limits.volumes",
      "limits.volumes: Too small: expected number to be >=0",
    ],
    ["nothing to change", { limits: {} }, "limits", "limits: name at least one resource to change"],
  ] as const) {
    test(`PUT with ${what} is 400 naming the field`, async ({ request }) => {
      const p = await problem(
        await request.put(`${T}/projects/data/quotas`, { headers: admin, data: body }),
        400,
      );
      expect(p).toMatchObject({ code: "INVALID_INPUT", field, detail });
    });
  }

  test("PUT is for org admins (403 for members), another org's project is 404", async ({ request }) => {
    const denied = await problem(
      await request.put(`${T}/projects/web/quotas`, { headers: dev, data: { limits: { volumes: 1 } } }),
      403,
    );
    expect(denied).toMatchObject({
      code: "FORBIDDEN",
      detail: "You do not have the permission quota.project.update here",
    });
    const missing = await problem(await request.get(`${T}/projects/data/quotas`, { headers: globex }), 404);
    expect(missing).toMatchObject({ code: "NOT_FOUND", detail: "Project data not found" });
    await problem(await request.get(`${T}/organizations/acme/quotas`, { headers: globex }), 404);
  });
});

test.describe("quota requests", () => {
  async function webLimit(request: APIRequestContext, r: string): Promise<number> {
    const q = await ok<ProjectQuotas>(await request.get(`${T}/projects/web/quotas`, { headers: dev }));
    return q.limits[r]!;
  }

  test("a member files one (201, pending); the org admin approves it and the limit applies", async ({
    request,
  }) => {
    const current = await webLimit(request, "buckets");
    const created = await ok<QuotaRequest>(
      await request.post(`${T}/organizations/acme/quota-requests`, {
        headers: dev,
        data: {
          project: "web",
          description: "Media uploads for the launch",
          priority: "Low",
          resources: [{ resource: "buckets", limit: current + 1 }],
          tags: ["e2e"],
        },
      }),
      201,
    );
    expect(created).toMatchObject({
      status: "pending",
      priority: "Low",
      project: { slug: "web" },
      requester: { email: "dev@acme.example" },
      resources: [{ resource: "buckets", limit: current + 1, previousLimit: current }],
      tags: ["e2e"],
      decidedBy: null,
    });

    const listed = await ok<{ items: QuotaRequest[]; nextCursor: string | null }>(
      await request.get(`${T}/organizations/acme/quota-requests?status=pending&limit=500`, { headers: dev }),
    );
    expect(listed.items.map((r) => r.id)).toContain(created.id);
    expect(listed.items.every((r) => r.status === "pending" && r.project?.slug === "web")).toBe(true);
    expect(listed).toHaveProperty("nextCursor");
    await ok(await request.get(`${T}/quota-requests/${created.id}`, { headers: dev }));

    const approved = await ok<QuotaRequest>(
      await request.post(`${T}/quota-requests/${created.id}/approve`, {
        headers: admin,
        data: { comment: "Approved for the launch" },
      }),
    );
    expect(approved).toMatchObject({
      status: "approved",
      decidedBy: { email: "admin@acme.example" },
      decisionComment: "Approved for the launch",
      changes: [{ scope: "project", resource: "buckets", before: current, after: current + 1 }],
    });
    expect(await webLimit(request, "buckets")).toBe(current + 1);

    const again = await problem(
      await request.post(`${T}/quota-requests/${created.id}/approve`, { headers: admin, data: {} }),
      409,
    );
    expect(again.code).toBe("CONFLICT");
    expect(again.detail).toMatch(/^This quota request was already approved by admin@acme\.example at /);
    await problem(
      await request.post(`${T}/quota-requests/${created.id}/reject`, { headers: ops, data: {} }),
      409,
    );
  });

  test("a rejection carries the comment and changes nothing", async ({ request }) => {
    const current = await webLimit(request, "registryGb");
    const created = await ok<QuotaRequest>(
      await request.post(`${T}/organizations/acme/quota-requests`, {
        headers: dev,
        data: {
          project: "web",
          description: "Bigger images",
          priority: "Medium",
          resources: [{ resource: "registryGb", limit: current + 50 }],
        },
      }),
      201,
    );
    const rejected = await ok<QuotaRequest>(
      await request.post(`${T}/quota-requests/${created.id}/reject`, {
        headers: admin,
        data: { comment: "Clean up old tags first" },
      }),
    );
    expect(rejected).toMatchObject({
      status: "rejected",
      decisionComment: "Clean up old tags first",
      changes: [],
    });
    expect(await webLimit(request, "registryGb")).toBe(current);
    const seen = await ok<QuotaRequest>(
      await request.get(`${T}/quota-requests/${created.id}`, { headers: dev }),
    );
    expect(seen).toMatchObject({ status: "rejected", decisionComment: "Clean up old tags first" });
  });

  test("creates honour Idempotency-Key", async ({ request }) => {
    const current = await webLimit(request, "clusters");
    const key = `e2e-${unique()}`;
    const send = () =>
      request.post(`${T}/organizations/acme/quota-requests`, {
        headers: { ...dev, "Idempotency-Key": key },
        data: {
          project: "web",
          description: "Staging cluster",
          priority: "Low",
          resources: [{ resource: "clusters", limit: current + 1 }],
        },
      });
    const first = await ok<QuotaRequest>(await send(), 201);
    const replay = await send();
    expect(replay.status()).toBe(201);
    expect(replay.headers()["idempotent-replayed"]).toBe("true");
    expect(((await replay.json()) as QuotaRequest).id).toBe(first.id);
  });

  test("bad requests are 400 naming the field", async ({ request }) => {
    const current = await webLimit(request, "vpcs");
    const cases: [Record<string, unknown>, string, string][] = [
      [
        {
          project: "web",
          description: "x",
          priority: "Low",
          resources: [{ resource: "vpcs", limit: current }],
        },
        "resources.0.limit",
        `resources.0.limit: the VPCs limit of project web is already ${current}; ask for more than that`,
      ],
      [
        {
          project: "web",
          description: "x",
          priority: "Urgent",
          resources: [{ resource: "vpcs", limit: 99 }],
        },
        "priority",
        'priority: Invalid option: expected one of "High"|"Medium"|"Low"',
      ],
      [
        { project: "web", description: "x", priority: "Low", resources: [] },
        "resources",
        "resources: ask for at least one resource",
      ],
    ];
    for (const [data, field, detail] of cases) {
      const p = await problem(
        await request.post(`${T}/organizations/acme/quota-requests`, { headers: dev, data }),
        400,
      );
      expect(p).toMatchObject({ code: "INVALID_INPUT", field, detail });
    }
  });

  test("another organisation's request is 404; a member cannot decide (403)", async ({ request }) => {
    const current = await webLimit(request, "fileStorageGb");
    const created = await ok<QuotaRequest>(
      await request.post(`${T}/organizations/acme/quota-requests`, {
        headers: dev,
        data: {
          project: "web",
          description: "Shared volumes",
          priority: "Low",
          resources: [{ resource: "fileStorageGb", limit: current + 10 }],
        },
      }),
      201,
    );
    for (const call of [
      request.get(`${T}/quota-requests/${created.id}`, { headers: globex }),
      request.post(`${T}/quota-requests/${created.id}/approve`, { headers: globex, data: {} }),
      request.post(`${T}/quota-requests/${created.id}/reject`, { headers: globex, data: {} }),
    ]) {
      expect(await problem(await call, 404)).toMatchObject({
        detail: `Quota request ${created.id} not found`,
      });
    }
    await problem(
      await request.post(`${T}/quota-requests/${created.id}/approve`, { headers: dev, data: {} }),
      403,
    );
    await problem(
      await request.post(`${T}/quota-requests/${created.id}/approve`, { headers: viewer, data: {} }),
      403,
    );
    const list = await ok<{ items: QuotaRequest[] }>(
      await request.get(`${T}/organizations/globex/quota-requests`, { headers: globex }),
    );
    expect(list.items.map((r) => r.id)).not.toContain(created.id);
    await ok(await request.post(`${T}/quota-requests/${created.id}/reject`, { headers: admin, data: {} }));
  });
});

test.describe("operators", () => {
  test("operator paths are 403 for org admins", async ({ request }) => {
    for (const call of [
      request.get(`${OPS}/organizations`, { headers: admin }),
      request.post(`${OPS}/organizations`, {
        headers: admin,
        data: { name: "Nope", admin: { email: "n@o.example" } },
      }),
      request.patch(`${OPS}/organizations/acme`, { headers: admin, data: { status: "suspended" } }),
      request.get(`${OPS}/default-quotas`, { headers: admin }),
      request.put(`${OPS}/default-quotas`, {
        headers: admin,
        data: { items: [{ resource: "vpcs", orgLimit: 1 }] },
      }),
      request.get(`${OPS}/quota-requests`, { headers: admin }),
      request.put(`${OPS}/organizations/acme/quotas`, {
        headers: admin,
        data: { limits: { instances: 1000 } },
      }),
    ]) {
      expect((await problem(await call, 403)).code).toBe("FORBIDDEN");
    }
  });

  test("list every organisation with its usage summary", async ({ request }) => {
    const page = await ok<{ items: (Figures & Record<string, unknown>)[]; nextCursor: string | null }>(
      await request.get(`${OPS}/organizations?limit=500`, { headers: ops }),
    );
    const acme = page.items.find((o) => o.slug === "acme")!;
    expect(acme).toMatchObject({
      name: "Acme Corp",
      status: "active",
      projectCount: expect.any(Number),
      memberCount: expect.any(Number),
      pendingRequests: expect.any(Number),
      worstHealth: expect.stringMatching(/^(ok|warning|critical|exhausted)$/),
    });
    expectFigures(acme);
    const one = await ok<{ items: unknown[]; nextCursor: string | null }>(
      await request.get(`${OPS}/organizations?limit=1`, { headers: ops }),
    );
    expect(one.items).toHaveLength(1);
    expect(one.nextCursor).toEqual(expect.any(String));
  });

  test("create an organisation with its first admin, suspend and reactivate it, set its limits", async ({
    request,
  }) => {
    const name = `E2E ${unique()}`;
    const invited = await ok<{ slug: string; admin: { status: string; invitation: { url: string } | null } }>(
      await request.post(`${OPS}/organizations`, {
        headers: ops,
        data: { name, admin: { email: `first-${unique()}@e2e.example`, name: "First Admin" } },
      }),
      201,
    );
    expect(invited.admin.status).toBe("invited");
    expect(invited.admin.invitation!.url).toMatch(/\/sign-in\/accept\?token=/);

    // An existing account becomes the admin at once.
    const created = await ok<{ id: string; slug: string; admin: { status: string; invitation: null } }>(
      await request.post(`${OPS}/organizations`, {
        headers: ops,
        data: { name: `Viewer ${unique()}`, admin: { email: "viewer@acme.example" } },
      }),
      201,
    );
    expect(created.admin).toMatchObject({ status: "active", invitation: null });
    await ok(await request.get(`${T}/organizations/${created.slug}/quotas`, { headers: viewer }));

    const taken = await problem(
      await request.post(`${OPS}/organizations`, {
        headers: ops,
        data: { name: "Again", slug: created.slug, admin: { email: "viewer@acme.example" } },
      }),
      409,
    );
    expect(taken).toMatchObject({ code: "CONFLICT", field: "slug" });

    const suspended = await ok<{ status: string }>(
      await request.patch(`${OPS}/organizations/${created.slug}`, {
        headers: ops,
        data: { status: "suspended" },
      }),
    );
    expect(suspended.status).toBe("suspended");
    expect(
      await problem(await request.get(`${T}/organizations/${created.slug}/quotas`, { headers: viewer }), 403),
    ).toMatchObject({ detail: `Organization ${created.slug} is suspended` });
    await ok(
      await request.patch(`${OPS}/organizations/${created.id}`, { headers: ops, data: { status: "active" } }),
    );
    await ok(await request.get(`${T}/organizations/${created.slug}/quotas`, { headers: viewer }));

    const limits = await ok<OrgQuotas>(
      await request.put(`${OPS}/organizations/${created.slug}/quotas`, {
        headers: ops,
        data: { limits: { instances: 150 } },
      }),
    );
    expect(limits.limits.instances).toBe(150);
  });

  test("an organisation's limit cannot go below what its projects hold (409)", async ({ request }) => {
    const q = await ok<OrgQuotas>(await request.get(`${T}/organizations/acme/quotas`, { headers: ops }));
    test.skip(q.allocated.vpcs === 0, "no project holds VPCs");
    const p = await problem(
      await request.put(`${OPS}/organizations/acme/quotas`, {
        headers: ops,
        data: { limits: { vpcs: q.allocated.vpcs! - 1 } },
      }),
      409,
    );
    expect(p.field).toBe("limits.vpcs");
    expect(p.detail).toContain(`VPCs: Acme Corp's projects hold ${q.allocated.vpcs}`);
    expect(p.detail).toContain("Lower the project limits first.");
  });

  test("default quotas: GET all, PUT validated", async ({ request }) => {
    const d = await ok<{
      items: { resource: string; orgLimit: number; projectLimit: number; label: string }[];
    }>(await request.get(`${OPS}/default-quotas`, { headers: ops }));
    expect(d.items.map((i) => i.resource).sort()).toEqual(RESOURCES);
    const vpcs = d.items.find((i) => i.resource === "vpcs")!;
    const bad = await problem(
      await request.put(`${OPS}/default-quotas`, {
        headers: ops,
        data: { items: [{ resource: "vpcs", projectLimit: vpcs.orgLimit + 1 }] },
      }),
      400,
    );
    expect(bad).toMatchObject({ code: "INVALID_INPUT", field: "items.0.projectLimit" });
    const same = await ok<{ items: { resource: string; orgLimit: number }[] }>(
      await request.put(`${OPS}/default-quotas`, {
        headers: ops,
        data: { items: [{ resource: "vpcs", orgLimit: vpcs.orgLimit }] },
      }),
    );
    expect(same.items.find((i) => i.resource === "vpcs")!.orgLimit).toBe(vpcs.orgLimit);
  });

  test("every organisation's requests, filtered by status", async ({ request }) => {
    const all = await ok<{ items: QuotaRequest[]; nextCursor: string | null }>(
      await request.get(`${OPS}/quota-requests?status=rejected&limit=500`, { headers: ops }),
    );
    expect(all.items.every((r) => r.status === "rejected")).toBe(true);
    const acme = await ok<{ items: QuotaRequest[] }>(
      await request.get(`${OPS}/quota-requests?org=acme&limit=500`, { headers: ops }),
    );
    expect(acme.items.every((r) => r.org.slug === "acme")).toBe(true);
  });
});
