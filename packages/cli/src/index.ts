export type { DmsErrorCode } from "./errors.js";
export { DmsError } from "./errors.js";
export { main } from "./main.js";
