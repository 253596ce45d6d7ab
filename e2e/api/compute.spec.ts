// Virtual machines over REST, the paths of the compute issue: create with Idempotency-Key (202 with
// the instance and its job), follow the job to ACTIVE, actions, the catalogue lists, refusals as
// problem+json, another organisation's member sees nothing, delete.
import { expect, test } from "@playwright/test";
import { bearer, tokenFor } from "../fixtures/api";
import { newComputeProject, waitJob } from "../fixtures/compute";

const T = "/api/tenant/v1";
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test.describe.configure({ mode: "serial" });

test.describe("compute REST", () => {
  let admin: Record<string, string>;
  let slug = "";
  let region = "";
  let create: Record<string, unknown> = {};
  let id = "";

  test.beforeAll(async ({ request }) => {
    slug = `vm-${unique()}`;
    ({ admin } = await newComputeProject(request, slug));
  });

  test("lists the catalogue: images, flavors, networks (default VPC), subnets, security groups, key pairs", async ({
    request,
  }) => {
    const list = async (what: string) => {
      const res = await request.get(`${T}/projects/${slug}/${what}?limit=100`, { headers: admin });
      expect(res.status(), what).toBe(200);
      const body = (await res.json()) as { items: Record<string, unknown>[]; nextCursor: string | null };
      expect(body).toHaveProperty("nextCursor");
      return body.items;
    };
    const networks = await list("networks");
    const def = networks.find((n) => n.isDefault === true)!;
    expect(def).toBeTruthy();
    region = def.region as string;
    const images = (await list("images")).filter((i) => i.status === "active" && i.region === region);
    const flavors = (await list("flavors")).filter((f) => f.region === region);
    expect((await list("subnets")).some((s) => s.isDefault === true)).toBe(true);
    expect((await list("security-groups")).length).toBeGreaterThan(0);
    expect(await list("keypairs")).toEqual([]);
    const image = images.find((i) => /cirros/i.test(String(i.name))) ?? images[0]!;
    const flavor = flavors.sort((a, b) => Number(a.ramMb) - Number(b.ramMb))[0]!;
    create = {
      name: "api-vm",
      region,
      imageId: image.providerId,
      flavorId: flavor.providerId,
      networkId: def.providerId,
      labels: { via: "rest" },
    };
  });

  test("POST /instances answers 202 with the instance and its job; the same Idempotency-Key replays it", async ({
    request,
  }) => {
    const key = unique();
    const first = await request.post(`${T}/projects/${slug}/instances`, {
      headers: { ...admin, "Idempotency-Key": key },
      data: create,
    });
    expect(first.status(), await first.text()).toBe(202);
    const body = (await first.json()) as { instance: { id: string; status: string }; job: { id: string } };
    expect(body.instance.status).toBe("CREATING");
    const again = await request.post(`${T}/projects/${slug}/instances`, {
      headers: { ...admin, "Idempotency-Key": key },
      data: create,
    });
    expect(again.status()).toBe(202);
    expect(again.headers()["idempotent-replayed"]).toBe("true");
    expect(await again.text()).toBe(await first.text());
    const other = await request.post(`${T}/projects/${slug}/instances`, {
      headers: { ...admin, "Idempotency-Key": key },
      data: { ...create, name: "another" },
    });
    expect(other.status()).toBe(409);
    id = body.instance.id;
    const job = await waitJob(request, admin, body.job.id);
    expect(job.state, job.lastError ?? "").toBe("SUCCEEDED");
    const vm = await request.get(`${T}/projects/${slug}/instances/${id}`, { headers: admin });
    expect(await vm.json()).toMatchObject({ status: "ACTIVE", labels: { via: "rest" }, locked: false });
  });

  test("refuses bad input as problem+json naming the field", async ({ request }) => {
    const res = await request.post(`${T}/projects/${slug}/instances`, {
      headers: admin,
      data: { ...create, flavorId: "no-such-flavor" },
    });
    expect(res.status()).toBe(400);
    expect(res.headers()["content-type"]).toContain("application/problem+json");
    expect(((await res.json()) as { detail: string }).detail).toContain("flavorId");
  });

  test("POST /instances/{id}/actions stops and starts; an action in the wrong state is a 409", async ({
    request,
  }) => {
    const act = async (data: Record<string, unknown>) =>
      request.post(`${T}/projects/${slug}/instances/${id}/actions`, { headers: admin, data });
    const stop = await act({ action: "stop" });
    expect(stop.status(), await stop.text()).toBe(202);
    expect(
      (await waitJob(request, admin, ((await stop.json()) as { job: { id: string } }).job.id)).state,
    ).toBe("SUCCEEDED");
    const again = await act({ action: "stop" });
    expect(again.status()).toBe(409);
    expect(((await again.json()) as { detail: string }).detail).toMatch(
      /not possible while api-vm is shutoff/,
    );
    const start = await act({ action: "start" });
    expect(start.status()).toBe(202);
    await waitJob(request, admin, ((await start.json()) as { job: { id: string } }).job.id);
    const unknown = await act({ action: "explode" });
    expect(unknown.status()).toBe(400);
  });

  test("PATCH relabels; GET lists filter by label", async ({ request }) => {
    const res = await request.patch(`${T}/projects/${slug}/instances/${id}`, {
      headers: admin,
      data: { labels: { via: "rest", tier: "web" } },
    });
    expect(res.status()).toBe(200);
    const list = await request.get(`${T}/projects/${slug}/instances?label=tier=web`, { headers: admin });
    const items = ((await list.json()) as { items: { id: string }[] }).items;
    expect(items.map((i) => i.id)).toEqual([id]);
  });

  test("a member of another organisation cannot see or act on it: 404 everywhere", async ({ request }) => {
    const globex = bearer(await tokenFor(request, "admin@globex.example"));
    expect((await request.get(`${T}/projects/${slug}/instances`, { headers: globex })).status()).toBe(404);
    expect((await request.get(`${T}/projects/${slug}/instances/${id}`, { headers: globex })).status()).toBe(
      404,
    );
    const act = await request.post(`${T}/projects/${slug}/instances/${id}/actions`, {
      headers: globex,
      data: { action: "stop" },
    });
    expect(act.status()).toBe(404);
    expect(
      (await request.delete(`${T}/projects/${slug}/instances/${id}`, { headers: globex })).status(),
    ).toBe(404);
  });

  test("DELETE answers 202; the instance is gone once its job ends", async ({ request }) => {
    const res = await request.delete(`${T}/projects/${slug}/instances/${id}`, { headers: admin });
    expect(res.status()).toBe(202);
    expect(
      (await waitJob(request, admin, ((await res.json()) as { job: { id: string } }).job.id)).state,
    ).toBe("SUCCEEDED");
    expect((await request.get(`${T}/projects/${slug}/instances/${id}`, { headers: admin })).status()).toBe(
      404,
    );
  });
});
