// Virtual machines in the browser, in a fresh project (its provisioning job makes the default VPC):
// the create wizard step by step with a new key pair (private key shown once, downloadable), the
// detail page following the job to Active live; stop/start, resize and confirm, attach a new
// volume, lock (every change refused with the reason) and unlock, delete with the typed name;
// a bulk stop of three instances with per-item results; another organisation sees "Not found".
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { bearer, tokenFor } from "../fixtures/api";
import { newComputeProject, waitJob } from "../fixtures/compute";
import { signIn } from "../fixtures/session";

const T = "/api/tenant/v1";
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

interface Flavor {
  providerId: string;
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  region: string;
}

/** The instance page: its status, the action buttons and menus, the tabs. */
class InstancePage {
  constructor(
    private readonly page: Page,
    readonly name: string,
  ) {}
  status() {
    return this.page.getByTestId("instance-status");
  }
  async expectStatus(status: string, label: string) {
    await expect(this.status()).toHaveAttribute("data-status", status, { timeout: 30_000 });
    await expect(this.status()).toContainText(label);
  }
  button(name: string) {
    return this.page.getByRole("button", { name, exact: true });
  }
  async openMenu(menu: "Power" | "Attach" | "Actions") {
    await this.page.getByRole("button", { name: `${menu} actions for ${this.name}` }).click();
    return this.page.getByRole("menu");
  }
  menuItem(name: string) {
    return this.page.getByRole("menuitem", { name, exact: true });
  }
  dialog() {
    return this.page.getByRole("dialog");
  }
  async tab(name: string) {
    await this.page.getByRole("tab", { name: new RegExp(`^${name}`) }).click();
    await expect(this.page.getByRole("tab", { name: new RegExp(`^${name}`) })).toHaveAttribute(
      "aria-selected",
      "true",
    );
    return this.page.getByRole("tabpanel");
  }
}

test.describe.configure({ mode: "serial" });

test.describe("compute in the browser", () => {
  let admin: Record<string, string>;
  let slug = "";
  let region = "";
  let networkId = "";
  let smallest: Flavor;
  let bigger: Flavor;
  const vmName = `web-${unique()}`;
  let vmPath = "";

  test.beforeAll(async ({ request }) => {
    ({ admin, slug } = await newComputeProject(request, `ui-vm-${unique()}`));
    const list = async <R>(what: string) => {
      const r = await request.get(`${T}/projects/${slug}/${what}?limit=100`, { headers: admin });
      expect(r.status(), what).toBe(200);
      return ((await r.json()) as { items: R[] }).items;
    };
    // The project gets a default VPC in every region: use the first region's.
    const def = (await list<{ isDefault: boolean; region: string; providerId: string }>("networks"))
      .filter((n) => n.isDefault)
      .sort((a, b) => a.region.localeCompare(b.region))[0]!;
    expect(def, "the provisioning job made a default VPC").toBeTruthy();
    region = def.region;
    networkId = def.providerId;
    const flavors = (await list<Flavor>("flavors"))
      .filter((f) => f.region === region)
      .sort((a, b) => a.vcpus - b.vcpus || a.ramMb - b.ramMb || a.name.localeCompare(b.name));
    smallest = flavors[0]!;
    // A bigger flavor whose local disk does not shrink (Nova refuses that resize).
    bigger = flavors.find((f) => f.ramMb > smallest.ramMb && f.diskGb >= smallest.diskGb)!;
    expect(bigger, "a bigger flavor to resize to").toBeTruthy();
  });

  test("creates a VM through the wizard with a new key pair and watches it become Active live", async ({
    page,
    request,
  }) => {
    await signIn(page, "admin@acme.example");
    await page.goto(`/acme/${slug}/compute/instances`);
    await expect(page.getByRole("heading", { level: 1, name: "Instances" })).toBeVisible();
    await expect(page.getByText("No instances yet")).toBeVisible();
    await page.getByRole("link", { name: "Create instance" }).first().click();
    await expect(page).toHaveURL(new RegExp(`/acme/${slug}/compute/instances/new$`));
    await expect(page.getByRole("heading", { level: 1, name: "Create instance" })).toBeVisible();
    // Region first: everything else in the wizard is per region.
    const regionSelect = page.getByRole("combobox", { name: "Region", exact: true });
    await regionSelect.selectOption(region);
    await expect(regionSelect).toHaveValue(region);
    const next = page.getByRole("button", { name: "Next", exact: true });
    const stepTitle = page.getByRole("heading", { level: 2 }).first();

    // Basics: leaving without a name is refused.
    await expect(stepTitle).toHaveText("Basics");
    await next.click();
    await expect(page.getByRole("alert").filter({ hasText: "Enter a name" })).toBeVisible();
    await page.getByRole("textbox", { name: "Name", exact: true }).fill(vmName);
    await expect(page.getByRole("spinbutton", { name: "Count" })).toHaveValue("1");
    await next.click();

    // Image: cirros.
    await expect(stepTitle).toHaveText("Image");
    const images = page.getByRole("radiogroup", { name: "Image" });
    await page.getByLabel("Search images").fill("cirros");
    // The cards are labels around a visually hidden radio: click the card, as a person does.
    const card = images
      .locator("label")
      .filter({ hasText: /cirros/i })
      .first();
    await card.click();
    await expect(card.getByRole("radio")).toBeChecked();
    const imageName = (await card.locator("span.font-medium").first().textContent())!;
    await next.click();

    // Flavor: the smallest.
    await expect(stepTitle).toHaveText("Flavor");
    const flavor = page
      .getByRole("radiogroup", { name: "Flavor" })
      .getByRole("radio", { name: new RegExp(`^${smallest.name.replace(/\./g, "\\.")}\\b`) });
    await flavor.check();
    await expect(flavor).toBeChecked();
    await next.click();

    // Storage: the flavor's local disk.
    await expect(stepTitle).toHaveText("Storage");
    await expect(page.getByRole("radio", { name: /Local disk/ })).toBeChecked();
    await next.click();

    // Network: the default VPC, with its default subnet.
    await expect(stepTitle).toHaveText("Network");
    await page
      .getByRole("combobox", { name: "Network", exact: true })
      .selectOption({ label: "default (default)" });
    await expect(page.getByRole("combobox", { name: "Network", exact: true })).toHaveValue(networkId);
    await expect(page.getByRole("combobox", { name: "Subnet" })).toContainText("10.0.0.0/24");
    await expect(page.getByRole("checkbox", { name: /^default/ })).toBeChecked();
    await next.click();

    // Access: generate a new key pair; its private key is shown once, to copy or download.
    await expect(stepTitle).toHaveText("Access");
    await next.click();
    await expect(page.getByRole("alert").filter({ hasText: "Choose a key pair" })).toBeVisible();
    await page.getByRole("radio", { name: /Create or import/ }).check();
    await expect(page.getByRole("radio", { name: /Generate a new key pair/ })).toBeChecked();
    const keyName = `${vmName}-key`;
    await page.getByRole("textbox", { name: "Name", exact: true }).fill(keyName);
    await page.getByRole("button", { name: "Generate key pair" }).click();
    const once = page.getByTestId("private-key-once");
    await expect(once).toBeVisible();
    await expect(once.getByText("Save the private key now")).toBeVisible();
    await expect(once.getByText("This is the only time it is shown")).toBeVisible();
    const field = page.getByLabel(`Private key of ${keyName}`);
    await expect(field).not.toHaveValue(/PRIVATE KEY/);
    await once.getByRole("button", { name: "Reveal" }).click();
    await expect(field).toHaveValue(/-----BEGIN OPENSSH PRIVATE KEY-----/);
    const shownKey = await field.inputValue();
    const downloading = page.waitForEvent("download");
    await once.getByRole("button", { name: `Download ${keyName}.pem` }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`${keyName}.pem`);
    const pem = await readFile(await download.path(), "utf8");
    // The PEM as OpenSSH writes it, in lines, the same in the field as in the file.
    expect(pem).toMatch(
      /^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n?$/,
    );
    expect(shownKey).toBe(pem);
    // Cirrus keeps only the public half.
    const keys = await request.get(`${T}/projects/${slug}/keypairs`, { headers: admin });
    const stored = ((await keys.json()) as { items: Record<string, unknown>[] }).items.find(
      (k) => k.name === keyName,
    );
    expect(stored).toBeTruthy();
    expect(JSON.stringify(stored)).not.toContain("PRIVATE KEY");
    await next.click();

    // Labels: none.
    await expect(stepTitle).toHaveText("Labels");
    await page.getByRole("button", { name: "Review", exact: true }).click();

    // Review: every choice, and the quota impact.
    await expect(stepTitle).toHaveText("Review");
    const review = page.getByRole("main");
    await expect(review).toContainText(vmName);
    await expect(review).toContainText(imageName);
    await expect(review).toContainText(smallest.name);
    await expect(review).toContainText(keyName);
    await expect(page.getByRole("heading", { name: "Quota impact" })).toBeVisible();
    await page.getByRole("button", { name: "Create instance", exact: true }).click();

    // The instance's page follows the job to Active without a reload.
    await expect(page).toHaveURL(new RegExp(`/acme/${slug}/compute/instances/[0-9a-f-]{36}$`));
    vmPath = new URL(page.url()).pathname;
    await expect(page.getByRole("heading", { level: 1, name: vmName })).toBeVisible();
    await page.evaluate(() => ((window as unknown as { e2eNoReload: boolean }).e2eNoReload = true));
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
    const vm = new InstancePage(page, vmName);
    await vm.expectStatus("ACTIVE", "Active");
    expect(
      await page.evaluate(() => (window as unknown as { e2eNoReload?: boolean }).e2eNoReload),
      "the page was not reloaded",
    ).toBe(true);
    const overview = page.getByRole("tabpanel");
    await expect(overview).toContainText(smallest.name);
    await expect(overview).toContainText(keyName);
  });

  test("stop, start, resize, attach a volume, lock, unlock and delete", async ({ page, request }) => {
    expect(vmPath, "the wizard test created the VM").not.toBe("");
    const id = vmPath.split("/").at(-1)!;
    await signIn(page, "admin@acme.example");
    await page.goto(vmPath);
    const vm = new InstancePage(page, vmName);
    await expect(page.getByRole("heading", { level: 1, name: vmName })).toBeVisible();
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
    await vm.expectStatus("ACTIVE", "Active");

    // Stop (confirmed), then start.
    await vm.button("Stop").click();
    await expect(vm.dialog()).toContainText(`Stop ${vmName}?`);
    await vm.dialog().getByRole("button", { name: "Stop", exact: true }).click();
    await vm.expectStatus("SHUTOFF", "Shutoff");
    await vm.button("Start").click();
    await vm.expectStatus("ACTIVE", "Active");

    // Resize to a bigger flavor, then confirm it: the flavor shown changes.
    await vm.openMenu("Actions");
    await vm.menuItem("Resize").click();
    await expect(vm.dialog()).toContainText(`Resize ${vmName}`);
    const current = vm
      .dialog()
      .getByRole("radio", { name: new RegExp(`^${smallest.name.replace(/\./g, "\\.")}\\b`) });
    await expect(current).toBeDisabled();
    await vm
      .dialog()
      .getByRole("radio", { name: new RegExp(`^${bigger.name.replace(/\./g, "\\.")}\\b`) })
      .check();
    await vm.dialog().getByRole("button", { name: "Resize", exact: true }).click();
    await vm.expectStatus("VERIFY_RESIZE", "Verify resize");
    await vm.button("Confirm resize").click();
    await vm.expectStatus("ACTIVE", "Active");
    const overview = page.getByRole("tabpanel");
    await expect(overview).toContainText(`${bigger.name} ·`);
    await expect(overview).not.toContainText(`${smallest.name} ·`);

    // Attach a new blank volume: it shows on the Volumes tab.
    await vm.openMenu("Attach");
    await vm.menuItem("Attach volume").click();
    await expect(vm.dialog()).toContainText(`Attach a volume to ${vmName}`);
    await vm.dialog().getByRole("radio", { name: "A new blank volume" }).check();
    await expect(vm.dialog().getByLabel("Name")).toHaveValue(`${vmName}-data`);
    await vm.dialog().getByLabel("Size (GB)").fill("5");
    await vm.dialog().getByRole("button", { name: "Attach", exact: true }).click();
    await expect(vm.dialog()).toHaveCount(0);
    const volumes = await vm.tab("Volumes");
    await expect(volumes.getByRole("row").filter({ hasText: `${vmName}-data` })).toContainText("5 GB", {
      timeout: 30_000,
    });
    await expect(page.getByRole("tab", { name: /^Volumes/ })).toContainText("1");

    // Lock with a reason: badge and banner; every change refused with the reason, delete too.
    await vm.tab("Overview");
    await vm.expectStatus("ACTIVE", "Active");
    await vm.openMenu("Actions");
    await vm.menuItem("Lock").click();
    await vm.dialog().getByLabel("Reason").fill("e2e hold");
    await vm.dialog().getByRole("button", { name: "Lock", exact: true }).click();
    const badge = page.getByRole("main").getByText("Locked", { exact: true });
    await expect(badge).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole("status").filter({ hasText: "This instance is locked" })).toContainText(
      "Reason: e2e hold",
    );
    const lockedStop = `${vmName} is locked (e2e hold): unlock it before you stop it`;
    await expect(vm.button("Stop")).toBeDisabled();
    await expect(vm.button("Stop")).toHaveAttribute("title", lockedStop);
    await vm.openMenu("Power");
    await expect(vm.menuItem("Stop")).toHaveAttribute("aria-disabled", "true");
    await expect(vm.menuItem("Stop")).toHaveAccessibleDescription(lockedStop);
    await expect(vm.menuItem("Reboot")).toHaveAttribute("aria-disabled", "true");
    await page.keyboard.press("Escape");
    await vm.openMenu("Actions");
    await expect(vm.menuItem("Resize")).toHaveAttribute("aria-disabled", "true");
    const del = vm.menuItem("Delete");
    await expect(del).toHaveAttribute("aria-disabled", "true");
    await expect(del).toHaveAccessibleDescription(/is locked \(e2e hold\): unlock it before you delete it/);
    await del.click({ force: true });
    await expect(vm.dialog()).toHaveCount(0);
    await page.keyboard.press("Escape");
    // The server refuses it as well.
    const refused = await request.delete(`${T}/projects/${slug}/instances/${id}`, { headers: admin });
    expect(refused.status()).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/is locked.*unlock it/);

    // Unlock: the actions come back.
    await vm.openMenu("Actions");
    await vm.menuItem("Unlock").click();
    await expect(badge).toHaveCount(0, { timeout: 30_000 });
    await expect(vm.button("Stop")).toBeEnabled();

    // Delete with the typed name; the list no longer has it.
    await vm.openMenu("Actions");
    await vm.menuItem("Delete").click();
    const confirm = vm.dialog();
    await expect(confirm).toContainText(`Delete instance ${vmName}?`);
    const go = confirm.getByRole("button", { name: "Delete instance" });
    await expect(go).toBeDisabled();
    await confirm.getByLabel(/to confirm/).fill(vmName.slice(0, -1));
    await expect(go).toBeDisabled();
    await confirm.getByLabel(/to confirm/).fill(vmName);
    await go.click();
    await expect(page).toHaveURL(new RegExp(`/acme/${slug}/compute/instances$`));
    await expect(page.getByRole("heading", { level: 1, name: "Instances" })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: vmName })).toHaveCount(0, { timeout: 30_000 });
    await expect(page.getByText("No instances yet")).toBeVisible();
  });

  test("bulk-stops three running VMs with per-item results", async ({ page, request }) => {
    const base = `bulk-${unique()}`;
    const images = await request.get(`${T}/projects/${slug}/images?limit=100`, { headers: admin });
    const image = (
      (await images.json()) as { items: { providerId: string; name: string; region: string }[] }
    ).items.find((i) => i.region === region && /cirros/i.test(i.name))!;
    const res = await request.post(`${T}/projects/${slug}/instances`, {
      headers: admin,
      data: {
        name: base,
        region,
        imageId: image.providerId,
        flavorId: smallest.providerId,
        networkId,
        count: 3,
      },
    });
    expect(res.status(), await res.text()).toBe(202);
    const created = (await res.json()) as { instances: { id: string; name: string; job: { id: string } }[] };
    expect(created.instances).toHaveLength(3);
    for (const i of created.instances) await waitJob(request, admin, i.job.id);
    const names = created.instances.map((i) => i.name).sort();

    await signIn(page, "admin@acme.example");
    await page.goto(`/acme/${slug}/compute/instances`);
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
    for (const n of names) {
      const row = page.getByRole("row").filter({ hasText: n });
      await expect(row.getByTestId("instance-status")).toHaveAttribute("data-status", "ACTIVE");
      await row.getByRole("checkbox", { name: `Select ${n}` }).check();
    }
    const bar = page.getByRole("region", { name: "Bulk actions" });
    await expect(bar).toContainText("3 selected");
    await bar.getByRole("button", { name: "Stop", exact: true }).click();

    const results = page.getByRole("dialog", { name: "Stop: 3 instances" });
    await expect(results).toBeVisible();
    await expect(results).toContainText("All 3 succeeded.");
    const items = results.getByTestId("bulk-results").getByRole("listitem");
    await expect(items).toHaveCount(3);
    for (const n of names)
      await expect(items.filter({ hasText: n })).toHaveAttribute("data-state", "succeeded");
    await results.getByRole("button", { name: "Close" }).last().click();
    await expect(results).toHaveCount(0);

    for (const n of names)
      await expect(
        page.getByRole("row").filter({ hasText: n }).getByTestId("instance-status"),
      ).toHaveAttribute("data-status", "SHUTOFF", { timeout: 30_000 });
    await expect(page.getByRole("row").filter({ hasText: base }).filter({ hasText: "Shutoff" })).toHaveCount(
      3,
    );
  });

  test("a member of another organisation gets a not-found page", async ({ page, request }) => {
    const list = await request.get(`${T}/projects/${slug}/instances`, { headers: admin });
    const { id, name } = ((await list.json()) as { items: { id: string; name: string }[] }).items[0]!;
    // Over REST (e2e/api/compute.spec.ts checks every path): a 404, as if it did not exist.
    const globex = bearer(await tokenFor(request, "admin@globex.example"));
    expect((await request.get(`${T}/projects/${slug}/instances/${id}`, { headers: globex })).status()).toBe(
      404,
    );
    await signIn(page, "admin@globex.example");
    await page.goto(`/acme/${slug}/compute/instances/${id}`);
    await expect(page.getByText("Not found", { exact: true })).toBeVisible();
    await expect(page.getByText(`Project ${slug} not found`)).toBeVisible();
    await expect(page.getByRole("main")).not.toContainText(name);
    await expect(page.getByTestId("instance-status")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /actions for/ })).toHaveCount(0);
  });
});
