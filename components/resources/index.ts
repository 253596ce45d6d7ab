// Generic resource views: kind registry, ResourceTable, Wizard, LabelsEditor, DetailPage. See README.md.
export * from "./bulk-results";
export * from "./csv";
export * from "./detail-page";
export * from "./labels";
export * from "./labels-editor";
export * from "./quota-impact";
export * from "./registry";
export * from "./resource-table";
export * from "./saved-views";
export * from "./url-state";
export * from "./use-permissions";
export * from "./use-table-url-state";
export * from "./wizard";
