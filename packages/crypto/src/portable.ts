// Entry point for browsers, Deno and Bun: everything that works without Node. What needs Node (Node
// streams, files and directories by path, worker threads) is only in the main entry.
// Its import graph has no runtime `node:` import (checked by test/portable.test.ts); the native
// backend is still picked automatically where `node:crypto` exists.
import nacl from "tweetnacl";
import { provideNacl } from "./backend/nacl.js";
import { portableBackend } from "./backend/portable.js";
import { providePortableBackend } from "./backend/select.js";

// The only statements with an effect: in a browser the portable backend is the only one, so it is
// loaded with the entry and handed over, with its X25519 (see backend/select.ts and backend/nacl.ts).
provideNacl(nacl);
providePortableBackend(portableBackend);

export { type InspectResult, inspect, type StanzaInfo } from "./access/inspect.js";
export {
  blobRangeSource,
  type EncryptedFile,
  type FetchLike,
  httpRangeSource,
  openEncrypted,
  type RangeSource,
} from "./access/range.js";
export { AgeDecryptor, AgeEncryptor } from "./adapters/classes.js";
export { createDecryptStream, createEncryptStream } from "./adapters/web.js";
export type { BackendName } from "./backend/types.js";
export * from "./shared.js";
export { chunkSpan, type PayloadLayout, payloadLayout } from "./stream/size.js";
