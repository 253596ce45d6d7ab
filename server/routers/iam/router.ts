import { router } from "@/server/trpc";
import { acceptInvite } from "./accept-invite";
import { createApiToken } from "./create-api-token";
import { createRole } from "./create-role";
import { createRoleBinding } from "./create-role-binding";
import { deleteRole } from "./delete-role";
import { deleteRoleBinding } from "./delete-role-binding";
import { getInvitation } from "./get-invitation";
import { getRole } from "./get-role";
import { getUser } from "./get-user";
import { inviteUser } from "./invite-user";
import { listApiTokens } from "./list-api-tokens";
import { listPermissions } from "./list-permissions";
import { listRoleBindings } from "./list-role-bindings";
import { listRoles } from "./list-roles";
import { listUsers } from "./list-users";
import { reactivateUser } from "./reactivate-user";
import { removeUser } from "./remove-user";
import { resendInvitation } from "./resend-invitation";
import { revokeApiToken } from "./revoke-api-token";
import { suspendUser } from "./suspend-user";
import { updateRole } from "./update-role";

export const iamRouter = router({
  listUsers,
  getUser,
  inviteUser,
  resendInvitation,
  suspendUser,
  reactivateUser,
  removeUser,
  listRoles,
  getRole,
  createRole,
  updateRole,
  deleteRole,
  listRoleBindings,
  createRoleBinding,
  deleteRoleBinding,
  listPermissions,
  listApiTokens,
  createApiToken,
  revokeApiToken,
  getInvitation,
  acceptInvite,
});
