// tar-stream is CommonJS. Required rather than imported: an ES import made Node translate it through
// the ESM loader, which cost about 5 MiB of resident memory in every process that imported
// @dms/crypto (measured on Node 20). Required on first use, so importing the package loads none of
// it (tar-stream and its 8 dependencies) until a directory is extracted; packing writes its own
// headers (ustar.ts). Directory mode is Node-only, so `require` is always there.
import { createRequire } from "node:module";
import type * as TarStream from "tar-stream";

let tarStream: typeof TarStream | undefined;

function load(): typeof TarStream {
  tarStream ??= createRequire(import.meta.url)("tar-stream") as typeof TarStream;
  return tarStream;
}

export const tarExtract: typeof TarStream.extract = (opts) => load().extract(opts);
