import { chmod, lstat, mkdtemp, opendir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { ioError } from "../errors.js";
import { archiveError } from "./errors.js";

/** The state of the target directory before extraction starts. */
interface Target {
  dir: string;
  /** Mode bits of the empty directory that was there, or undefined when it was absent. */
  mode: number | undefined;
}

const NOT_EMPTY_TODO = "extract into a new or empty directory";

async function isEmptyDir(dir: string): Promise<boolean> {
  const d = await opendir(dir);
  try {
    return (await d.read()) === null;
  } finally {
    await d.close().catch(() => {});
  }
}

/**
 * Checks that `dir` is absent or an empty directory (a symlink there counts as occupied).
 *
 * @throws AgeError ERR_ARCHIVE_NOT_EMPTY, or ERR_AGE_IO when it cannot be inspected.
 */
export async function checkTarget(dir: string): Promise<Target> {
  const abs = resolve(dir);
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { dir: abs, mode: undefined };
    throw ioError(e, abs);
  }
  if (!st.isDirectory()) {
    throw archiveError(
      "ERR_ARCHIVE_NOT_EMPTY",
      undefined,
      `${abs} exists and is not a directory`,
      NOT_EMPTY_TODO,
    );
  }
  let empty: boolean;
  try {
    empty = await isEmptyDir(abs);
  } catch (e) {
    throw ioError(e, abs);
  }
  if (!empty) throw archiveError("ERR_ARCHIVE_NOT_EMPTY", undefined, `${abs} is not empty`, NOT_EMPTY_TODO);
  return { dir: abs, mode: Number(st.mode) & 0o7777 };
}

/**
 * Creates the private staging directory beside the target (same filesystem, so the final
 * rename is atomic). mkdtemp makes it 0700, so nobody else sees a half-written tree.
 *
 * @throws AgeError ERR_AGE_IO (for instance when the parent directory does not exist).
 */
export async function createStaging(target: Target): Promise<string> {
  const prefix = join(dirname(target.dir), `.${basename(target.dir)}.dms-staging-`);
  try {
    return await mkdtemp(prefix);
  } catch (e) {
    throw ioError(e, dirname(target.dir));
  }
}

/**
 * Moves the finished staging tree into place. POSIX rename replaces an empty directory, and
 * fails with ENOTEMPTY/EEXIST if something appeared there meanwhile.
 *
 * @throws AgeError ERR_ARCHIVE_NOT_EMPTY or ERR_AGE_IO.
 */
export async function commitStaging(staging: string, target: Target): Promise<void> {
  try {
    await chmod(staging, target.mode ?? 0o755);
    await rename(staging, target.dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOTDIR" || code === "EISDIR") {
      throw archiveError(
        "ERR_ARCHIVE_NOT_EMPTY",
        undefined,
        `${target.dir} was filled while extracting`,
        NOT_EMPTY_TODO,
        e,
      );
    }
    throw ioError(e, target.dir);
  }
}

/** Removes the staging tree; never follows links inside it. Errors are ignored: it is cleanup. */
export async function removeStaging(staging: string): Promise<void> {
  // A directory made 0500 by the archive would stop rm from deleting its children.
  await chmodTree(staging).catch(() => {});
  await rm(staging, { recursive: true, force: true }).catch(() => {});
}

async function chmodTree(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  const d = await opendir(dir);
  for await (const e of d) {
    if (e.isDirectory()) await chmodTree(join(dir, e.name));
  }
}
