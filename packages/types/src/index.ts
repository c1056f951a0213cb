export * from "./base.js";
export * from "./encryption.js";
export * from "./errors.js";
export * from "./storage.js";
export * from "./telemetry.js";
export type { ParseResult } from "./validate.js";
export { parse, safeParse } from "./validate.js";
