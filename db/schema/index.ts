export * from "./iam";
export * from "./quota";
export * from "./jobs";
export * from "./inventory";
export * from "./audit";
export * from "./prefs";
