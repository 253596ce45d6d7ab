// Jobs in the browser: a new project's provisioning job appears in the project's jobs and runs to
// Succeeded without a reload; its page shows the steps; another organisation's job is not found.
import { expect, test, type Page } from "@playwright/test";
import { bearer, tokenFor } from "../fixtures/api";
import { signIn } from "../fixtures/session";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

class JobsPage {
  constructor(private readonly page: Page) {}
  async open(path: string) {
    await this.page.goto(path);
    await expect(this.page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
    await expect(this.page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  }
  row(text: string) {
    return this.page.getByRole("row").filter({ hasText: text });
  }
}

async function newProject(request: Parameters<typeof tokenFor>[0]) {
  const admin = bearer(await tokenFor(request, "admin@acme.example"));
  const name = `jobs-${unique()}`;
  const res = await request.post("/api/tenant/v1/organizations/acme/projects", {
    headers: admin,
    data: { name },
  });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { slug: string; job: { id: string } };
  return { name, slug: body.slug, jobId: body.job.id, admin };
}

test.describe("jobs", () => {
  test("a job appears in the organisation's jobs and runs to the end live", async ({ page, request }) => {
    await signIn(page, "admin@acme.example");
    const jobs = new JobsPage(page);
    await jobs.open("/acme/jobs");
    const { name } = await newProject(request);
    const row = jobs.row(`Provision project · ${name}`);
    await expect(row).toBeVisible();
    await expect(row).toContainText("Succeeded", { timeout: 30_000 });
    // Two steps: the project in every region, then its default VPC.
    await expect(row).toContainText("2/2");
  });

  test("a project's jobs link to the job's page with its steps", async ({ page, request }) => {
    const { name, slug, jobId, admin } = await newProject(request);
    await expect
      .poll(async () => {
        const res = await request.get(`/api/tenant/v1/jobs/${jobId}`, { headers: admin });
        return ((await res.json()) as { state: string }).state;
      })
      .toBe("SUCCEEDED");
    await signIn(page, "admin@acme.example");
    const jobs = new JobsPage(page);
    await jobs.open(`/acme/${slug}/jobs`);
    await jobs.row(name).getByRole("link").first().click();
    await expect(page).toHaveURL(new RegExp(`/acme/jobs/${jobId}$`));
    const detail = page.getByTestId("job-detail");
    await expect(detail).toHaveAttribute("data-state", "SUCCEEDED");
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`Provision project: ${name}`);
    const steps = page.getByTestId("job-step");
    await expect(steps.first()).toHaveAttribute("data-state", "SUCCEEDED");
    await expect(page.getByText("The job finished")).toBeVisible();
    await expect(page.getByRole("link", { name: `project · ${name}` })).toHaveAttribute(
      "href",
      `/acme/${slug}`,
    );
  });

  test("filters a project's jobs by state in the URL", async ({ page, request }) => {
    const { slug } = await newProject(request);
    await signIn(page, "admin@acme.example");
    await page.goto(`/acme/${slug}/jobs?f.state=FAILED`);
    await expect(page.getByText("No jobs match")).toBeVisible();
  });

  test("another organisation's job is not found", async ({ page, request }) => {
    const { jobId } = await newProject(request);
    await signIn(page, "admin@globex.example");
    await page.goto(`/globex/jobs/${jobId}`);
    await expect(page.getByText(`Job ${jobId} not found`)).toBeVisible();
    await expect(page.getByTestId("job-detail")).toHaveCount(0);
  });
});
