// Quota requests through the browser: a project member asks for more Elastic IPs from the
// project's Quotas page, the org admin approves it with a comment, and the new limit shows on the
// project's quotas; the requester sees the decision. Also: inline limit editing refuses values
// the server would refuse (more than the organisation has left, not a number) before sending.
import { expect, test, type Page } from "@playwright/test";
import { bearer, tokenFor } from "../fixtures/api";
import { signIn } from "../fixtures/session";

class ProjectQuotasPage {
  constructor(private readonly page: Page) {}
  async open(org: string, project: string) {
    await this.page.goto(`/${org}/${project}/quotas`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Quotas" })).toBeVisible();
  }
  bar(resource: string) {
    return this.page.getByTestId(`quota-${resource}`);
  }
}

class RequestForm {
  constructor(private readonly page: Page) {}
  async fill(opts: { resource: string; limit: number; why: string; priority: string; tags: string }) {
    await expect(
      this.page.getByRole("heading", { level: 1, name: "Request a quota increase" }),
    ).toBeVisible();
    await this.page.getByLabel("Priority").selectOption({ value: opts.priority });
    await this.page.getByLabel(/Why is it needed/).fill(opts.why);
    await this.page.getByLabel("Resource", { exact: true }).selectOption({ label: opts.resource });
    await this.page.getByLabel("New limit").fill(String(opts.limit));
    await this.page.getByLabel("Tags").fill(opts.tags);
  }
  async send() {
    await this.page.getByRole("button", { name: "Send request" }).click();
  }
}

test("a member requests more Elastic IPs, the org admin approves, the new limit shows", async ({
  page,
  browser,
  request,
}) => {
  // Two people, six pages: more than the default budget on a dev server under load.
  test.slow();
  const dev = bearer(await tokenFor(request, "dev@acme.example"));
  const before = (await (
    await request.get("/api/tenant/v1/projects/web/quotas", { headers: dev })
  ).json()) as {
    limits: { elasticIps: number };
  };
  const wanted = before.limits.elasticIps + 2;
  const title = `Elastic IPs ${before.limits.elasticIps} → ${wanted}`;

  // The member starts from the project's quotas.
  await signIn(page, "dev@acme.example");
  const quotas = new ProjectQuotasPage(page);
  await quotas.open("acme", "web");
  await page.getByRole("link", { name: "Request increase" }).first().click();
  await expect(page).toHaveURL(/\/acme\/quota-requests\/new\?project=web/);
  const form = new RequestForm(page);
  await form.fill({
    resource: "Network · Elastic IPs",
    limit: wanted,
    why: "Two more public endpoints for the partner API",
    priority: "High",
    tags: "e2e, partner-api",
  });
  await expect(page.getByTestId("current-elasticIps")).toContainText(
    `Current limit ${before.limits.elasticIps}`,
  );
  await form.send();
  await expect(page).toHaveURL(/\/acme\/quota-requests\/[0-9a-f-]{36}$/);
  const requestUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("decision")).toContainText("Waiting for a decision");

  // The org admin finds it in the list and approves it with a comment.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, "admin@acme.example");
  await adminPage.goto("/acme/quota-requests?f.status=pending");
  await adminPage.getByRole("link", { name: title }).first().click();
  await expect(adminPage).toHaveURL(new RegExp(`${requestUrl}$`));
  await adminPage.getByLabel("Comment for the requester").fill("Approved for the partner launch");
  // Other specs create projects that take their share of the organisation's limits (on the other
  // worker, at any moment): make room for this increase just before deciding, as an operator would.
  const ops = bearer(await tokenFor(request, "ops@cirrus.example"));
  const org = (await (
    await request.get("/api/tenant/v1/organizations/acme/quotas", { headers: ops })
  ).json()) as { limits: { elasticIps: number } };
  const raised = await request.put("/api/ops/v1/organizations/acme/quotas", {
    headers: ops,
    data: { limits: { elasticIps: org.limits.elasticIps + 50 } },
  });
  expect(raised.status(), await raised.text()).toBe(200);
  await adminPage.reload();
  await adminPage.getByLabel("Comment for the requester").fill("Approved for the partner launch");
  await adminPage.getByRole("button", { name: "Approve" }).click();
  await expect(adminPage.getByTestId("decision")).toContainText("Approved by Alice Admin");
  await expect(adminPage.getByTestId("decision")).toContainText("Approved for the partner launch");

  // The new limit is in force on the project's quotas.
  const adminQuotas = new ProjectQuotasPage(adminPage);
  await adminQuotas.open("acme", "web");
  await expect(adminQuotas.bar("elasticIps")).toContainText(`/ ${wanted}`);
  await adminContext.close();

  // The requester sees the decision and its comment.
  await page.goto(requestUrl);
  await expect(page.getByTestId("decision")).toContainText("Approved by Alice Admin");
  await expect(page.getByTestId("decision")).toContainText("Approved for the partner launch");
  await quotas.open("acme", "web");
  await expect(quotas.bar("elasticIps")).toContainText(`/ ${wanted}`);
});

test("inline limit editing refuses values outside what is in use and what the org has left", async ({
  page,
}) => {
  await signIn(page, "admin@acme.example");
  const quotas = new ProjectQuotasPage(page);
  await quotas.open("acme", "data");
  await page.getByRole("button", { name: "Edit limits" }).click();
  const vpcs = page.getByLabel("New VPCs limit");
  await vpcs.fill("100000");
  await expect(quotas.bar("vpcs")).toContainText(/At most \d+: the organisation has \d+ left/);
  await expect(page.getByRole("button", { name: "Save limits" })).toBeDisabled();
  await vpcs.fill("two");
  await expect(quotas.bar("vpcs")).toContainText("Enter a whole number");
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByLabel("New VPCs limit")).toHaveCount(0);
});
