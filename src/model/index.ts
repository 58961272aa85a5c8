// The model's public surface for the rest of firedrill: formats, loaders, catalog and lint rules.
export * from "./catalog.js";
export * from "./duration.js";
export { type Env, interpolate } from "./env.js";
export * from "./json-schema.js";
export * from "./lint.js";
export * from "./load.js";
export { slugify } from "./markdown.js";
export * from "./problem.js";
export type { Locate } from "./source.js";
export * from "./workspace.js";
