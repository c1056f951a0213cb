// tar-stream is CommonJS. Required rather than imported: an ES import made Node translate it through
// the ESM loader, which cost about 5 MiB of resident memory in every process that imported
// @dms/crypto (measured on Node 20). Directory mode is Node-only, so `require` is always there.
import { createRequire } from "node:module";
import type * as TarStream from "tar-stream";

const tarStream = createRequire(import.meta.url)("tar-stream") as typeof TarStream;

export const tarPack: typeof TarStream.pack = (opts) => tarStream.pack(opts);
export const tarExtract: typeof TarStream.extract = (opts) => tarStream.extract(opts);
