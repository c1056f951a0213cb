// The keys and the file and pipe engine, without archives, stream adapters or random access: what a
// command that encrypts or decrypts one file needs. It loads about half of the index's modules
// (`@dms/crypto/core`; the index re-exports all of it), which is ~20 ms of a small file's start-up.
export type { ArchiveErrorCode } from "./errors.js";
export { decryptFd, encryptFd, encryptToChunks, type FdInput, type FdOutput } from "./fs/fd.js";
export * from "./shared.js";
