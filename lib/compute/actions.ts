// Which lifecycle actions a virtual machine accepts in which state: one table for the server
// (refuses with a clear message) and the console (offers only what Nova would accept).
// States follow Nova's API state checks (nova/compute/api.py check_instance_state).

export const INSTANCE_ACTIONS = [
  "start",
  "stop",
  "pause",
  "unpause",
  "suspend",
  "resume",
  "reboot",
  "hardReboot",
  "resize",
  "confirmResize",
  "revertResize",
  "lock",
  "unlock",
  "snapshot",
  "rebuild",
  "attachVolume",
  "detachVolume",
  "attachInterface",
  "detachInterface",
  "addSecurityGroup",
  "removeSecurityGroup",
  "associateFloatingIp",
  "disassociateFloatingIp",
] as const;
export type InstanceAction = (typeof INSTANCE_ACTIONS)[number];

/** Reads that need a running server but change nothing. */
export type InstanceRead = "console" | "consoleLog";

const RUNNING_OR_STOPPED = ["ACTIVE", "SHUTOFF", "PAUSED", "SUSPENDED"];

/** Nova statuses in which each action is accepted. */
export const ACTION_STATES: Record<InstanceAction | InstanceRead, readonly string[]> = {
  start: ["SHUTOFF"],
  stop: ["ACTIVE", "PAUSED", "SUSPENDED"],
  pause: ["ACTIVE"],
  unpause: ["PAUSED"],
  suspend: ["ACTIVE"],
  resume: ["SUSPENDED"],
  reboot: ["ACTIVE"],
  hardReboot: ["ACTIVE", "SHUTOFF", "PAUSED", "SUSPENDED", "ERROR"],
  resize: ["ACTIVE", "SHUTOFF"],
  confirmResize: ["VERIFY_RESIZE"],
  revertResize: ["VERIFY_RESIZE"],
  lock: [...RUNNING_OR_STOPPED, "VERIFY_RESIZE", "ERROR"],
  unlock: [...RUNNING_OR_STOPPED, "VERIFY_RESIZE", "ERROR"],
  snapshot: RUNNING_OR_STOPPED,
  rebuild: ["ACTIVE", "SHUTOFF", "ERROR"],
  attachVolume: ["ACTIVE", "SHUTOFF", "PAUSED"],
  detachVolume: ["ACTIVE", "SHUTOFF", "PAUSED"],
  attachInterface: ["ACTIVE", "SHUTOFF", "PAUSED"],
  detachInterface: ["ACTIVE", "SHUTOFF", "PAUSED"],
  addSecurityGroup: RUNNING_OR_STOPPED,
  removeSecurityGroup: RUNNING_OR_STOPPED,
  associateFloatingIp: RUNNING_OR_STOPPED,
  disassociateFloatingIp: RUNNING_OR_STOPPED,
  console: ["ACTIVE"],
  consoleLog: [...RUNNING_OR_STOPPED, "VERIFY_RESIZE", "ERROR"],
};

export const ACTION_LABELS: Record<InstanceAction | InstanceRead | "delete", string> = {
  start: "Start",
  stop: "Stop",
  pause: "Pause",
  unpause: "Unpause",
  suspend: "Suspend",
  resume: "Resume",
  reboot: "Reboot",
  hardReboot: "Hard reboot",
  resize: "Resize",
  confirmResize: "Confirm resize",
  revertResize: "Revert resize",
  lock: "Lock",
  unlock: "Unlock",
  snapshot: "Create snapshot",
  rebuild: "Rebuild",
  attachVolume: "Attach volume",
  detachVolume: "Detach volume",
  attachInterface: "Attach network interface",
  detachInterface: "Detach network interface",
  addSecurityGroup: "Add security group",
  removeSecurityGroup: "Remove security group",
  associateFloatingIp: "Associate elastic IP",
  disassociateFloatingIp: "Disassociate elastic IP",
  console: "Open console",
  consoleLog: "Console log",
  delete: "Delete",
};

/** What the portal knows of an instance's state (from the inventory row). */
export interface InstanceState {
  name: string;
  status: string;
  /** Nova's task_state: non-null while Nova is busy with the server. */
  taskState?: string | null;
  locked?: boolean;
  lockedReason?: string | null;
  /** The portal job in flight on the instance, if any (its action name). */
  pendingAction?: string | null;
}

/** Statuses the portal itself gives before and after the server exists upstream. */
export const PORTAL_STATUSES = ["CREATING", "DELETING"] as const;

/** Why an action is refused now, or null when it is accepted. */
export function actionRefusal(
  s: InstanceState,
  action: InstanceAction | InstanceRead | "delete",
): string | null {
  const locked = s.locked && action !== "unlock" && action !== "lock" && action !== "consoleLog";
  if (locked && action !== "console")
    return `${s.name} is locked${s.lockedReason ? ` (${s.lockedReason})` : ""}: unlock it before you ${ACTION_LABELS[action].toLowerCase()} it`;
  if (action === "lock" && s.locked) return `${s.name} is already locked`;
  if (action === "unlock" && !s.locked) return `${s.name} is not locked`;
  if (s.status === "DELETING") return `${s.name} is being deleted`;
  if (action === "delete") return null;
  if (s.pendingAction)
    return `${s.name} is busy (${ACTION_LABELS[s.pendingAction as InstanceAction]?.toLowerCase() ?? s.pendingAction} in progress): wait until it ends`;
  if (s.taskState) return `${s.name} is busy (${s.taskState.replace(/_/g, " ")}): wait until it ends`;
  const states = ACTION_STATES[action];
  if (!states.includes(s.status))
    return `${ACTION_LABELS[action]} is not possible while ${s.name} is ${s.status.toLowerCase().replace(/_/g, " ")} (possible when ${states.map((x) => x.toLowerCase().replace(/_/g, " ")).join(", ")})`;
  return null;
}

/** Statuses that will change on their own: lists poll and show a spinner. */
export function isTransitional(s: Pick<InstanceState, "status" | "taskState" | "pendingAction">): boolean {
  return (
    Boolean(s.taskState) ||
    Boolean(s.pendingAction) ||
    ["CREATING", "DELETING", "BUILD", "REBOOT", "HARD_REBOOT", "RESIZE", "REBUILD", "MIGRATING"].includes(
      s.status,
    )
  );
}
