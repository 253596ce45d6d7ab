// The Activity Log in the browser: a project created by the admin shows up live, filters live in
// the URL, a paused feed counts what arrived, CSV export is formula-safe, the integrity check
// passes, and project-level users get a designed refusal.
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { bearer, tokenFor } from "../fixtures/api";
import { signIn } from "../fixtures/session";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

class ActivityPage {
  constructor(private readonly page: Page) {}

  async open(query = "") {
    await this.page.goto(`/acme/activity${query}`);
    await expect(this.page.getByRole("heading", { name: "Activity log", level: 1 })).toBeVisible();
  }

  live() {
    return this.page.getByTestId("live-status");
  }

  async waitLive() {
    await expect(this.live()).toHaveAttribute("data-state", "live");
  }

  rows() {
    return this.page.getByTestId("activity-row");
  }

  row(text: string) {
    return this.rows().filter({ hasText: text });
  }
}

async function createProject(request: Parameters<typeof tokenFor>[0], name: string) {
  const admin = bearer(await tokenFor(request, "admin@acme.example"));
  const res = await request.post("/api/tenant/v1/organizations/acme/projects", {
    headers: admin,
    data: { name },
  });
  expect(res.status(), await res.text()).toBe(201);
}

test.describe("activity log", () => {
  test("shows a new project's event live, without a reload", async ({ page, request }) => {
    await signIn(page, "admin@acme.example");
    const log = new ActivityPage(page);
    await log.open();
    await log.waitLive();
    const name = `live-${unique()}`;
    await createProject(request, name);
    const row = log.row(name).and(page.locator('[data-action="resourcemanager.project.create"]'));
    await expect(row).toBeVisible();
    await expect(row).toContainText("admin@acme.example");
    await expect(row).toContainText("Success");
    // Newest on top: event ids fall down the table (other specs write events meanwhile, so the
    // top row need not be this one).
    const ids = await log
      .rows()
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-event-id"))));
    expect(ids.length).toBeGreaterThan(1);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    await row.click();
    const details = page.getByTestId("event-details");
    await expect(details).toContainText("resourcemanager.project.create");
    await expect(details).toContainText(`"slug"`);
  });

  test("filters by action, with the filter held in the URL", async ({ page, request }) => {
    await createProject(request, `filter-${unique()}`);
    await signIn(page, "viewer@acme.example");
    const log = new ActivityPage(page);
    await log.open();
    await page.getByTestId("filter-action").selectOption("resourcemanager.project.create");
    await expect(page).toHaveURL(/action=resourcemanager\.project\.create/);
    await expect(log.rows().first()).toBeVisible();
    const actions = await log.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(["resourcemanager.project.create"]));
    // A reload (or a shared link) shows the same view.
    await page.reload();
    await expect(page.getByTestId("filter-action")).toHaveValue("resourcemanager.project.create");
    await page.getByTestId("clear-filters").click();
    await expect(page).not.toHaveURL(/action=/);
  });

  test("holds new events behind a pill while paused", async ({ page, request }) => {
    await signIn(page, "admin@acme.example");
    const log = new ActivityPage(page);
    await log.open();
    await log.waitLive();
    await page.getByRole("switch", { name: "Show new events as they happen" }).click();
    await expect(log.live()).toHaveAttribute("data-state", "paused");
    const name = `paused-${unique()}`;
    await createProject(request, name);
    const pill = page.getByTestId("new-events-pill");
    await expect(pill).toContainText(/new event/);
    await expect(log.row(name)).toHaveCount(0);
    await pill.click();
    await expect(log.row(name).first()).toBeVisible();
  });

  test("exports the view as CSV that spreadsheets cannot run", async ({ page, request }) => {
    const name = `=HYPERLINK("x")-${unique()}`;
    await createProject(request, name);
    await signIn(page, "viewer@acme.example");
    const log = new ActivityPage(page);
    await log.open("?action=resourcemanager.project.create");
    await expect(log.rows().first()).toBeVisible();
    await page.getByRole("button", { name: "Export" }).click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("export-csv").click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^acme-activity-\d{8}T\d{6}Z\.csv$/);
    const csv = await readFile(await download.path(), "utf8");
    const [header, ...lines] = csv.trim().split("\r\n");
    expect(header).toMatch(/^time,id,seq,actor_email,actor_id,actor_type,action,outcome/);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain("resourcemanager.project.create");
    // The hostile name is defused with a leading quote (and CSV-quoted for its own quotes).
    expect(csv).toContain(`"'=HYPERLINK(""x"")-`);
    await expect(page.getByText(/Exported \d+ events?/)).toBeVisible();
  });

  test("verifies the log's integrity", async ({ page }) => {
    await signIn(page, "admin@acme.example");
    const log = new ActivityPage(page);
    await log.open();
    await page.getByTestId("verify-integrity").click();
    const result = page.getByTestId("verify-result");
    await expect(result).toContainText("The activity log is intact");
    await expect(result).toContainText(/\d+ events? verified/);
  });

  test("explains to a project member why the log is not theirs", async ({ page }) => {
    await signIn(page, "dev@acme.example");
    await page.goto("/acme/activity");
    await expect(page.getByText("The activity log is for organisation admins and readers")).toBeVisible();
    await expect(page.getByTestId("activity-table")).toHaveCount(0);
  });
});
