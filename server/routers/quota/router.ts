import { router } from "@/server/trpc";
import { approveQuotaRequest } from "./approve-quota-request";
import { createQuotaRequest } from "./create-quota-request";
import { getOrgQuotas } from "./get-org-quotas";
import { getProjectQuotas } from "./get-project-quotas";
import { getQuotaRequest } from "./get-quota-request";
import { listQuotaRequests } from "./list-quota-requests";
import { rejectQuotaRequest } from "./reject-quota-request";
import { updateProjectQuotas } from "./update-project-quotas";

export const quotaRouter = router({
  getOrgQuotas,
  getProjectQuotas,
  updateProjectQuotas,
  listQuotaRequests,
  createQuotaRequest,
  getQuotaRequest,
  approveQuotaRequest,
  rejectQuotaRequest,
});
