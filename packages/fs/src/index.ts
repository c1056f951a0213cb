export { type DirectTarget, DirectWriter } from "./direct.js";
export { FsError, type FsKind, fsError, kindOf } from "./errors.js";
export { hasBidiControl, hasControl, MAX_NAME_BYTES, nameBytes } from "./names.js";
export {
  type OutputFile,
  type OutputMode,
  type OutputOptions,
  openOutput,
  sweepStaleTemps,
  tempPathFor,
  writeFileAtomic,
} from "./output.js";
export { STALE_MS, staleLeftovers } from "./stale.js";
export { byteOrder, fsyncPath, type WalkEntry, walk } from "./walk.js";
