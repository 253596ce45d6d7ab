import { router } from "@/server/trpc";
import { createFlavor } from "./create-flavor";
import { createOrganization } from "./create-organization";
import { getDefaultQuotas } from "./get-default-quotas";
import { listOrganizations } from "./list-organizations";
import { listAllQuotaRequests } from "./list-quota-requests";
import { updateDefaultQuotas } from "./update-default-quotas";
import { updateOrganization } from "./update-organization";
import { updateOrgQuotas } from "./update-org-quotas";

export const opsRouter = router({
  listOrganizations,
  createOrganization,
  updateOrganization,
  updateOrgQuotas,
  getDefaultQuotas,
  updateDefaultQuotas,
  listAllQuotaRequests,
  createFlavor,
});
