// Extraction writes only below a private staging root (0700), but a process of the same user could
// still swap one of its folders for a symlink while extraction runs. So before every create, link,
// chmod or utimes, the entry's parent folder must still resolve inside the root, and the final
// component is never followed (O_NOFOLLOW, or an operation that does not follow). Node has no openat,
// so a swap between the check and the call remains possible; the check narrows that window to one
// system call and the private staging root keeps other users out entirely.
import { constants, realpathSync } from "node:fs";
import { type FileHandle, open, realpath } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { archiveError } from "./errors.js";

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

function changed(rel: string, cause?: unknown): Error {
  return archiveError(
    "ERR_ARCHIVE_CHANGED",
    rel,
    "a folder of the extraction was replaced by a link or file while extracting",
    "make sure nothing else writes into the target while extracting, then retry",
    cause,
  );
}

export class Confinement {
  private constructor(
    readonly root: string,
    private readonly real: string,
  ) {}

  static async of(root: string): Promise<Confinement> {
    return new Confinement(root, await realpath(root));
  }

  /**
   * The absolute path of the archive path `rel`, once its parent folder has been checked to still
   * resolve inside the root.
   *
   * @throws AgeError ERR_ARCHIVE_CHANGED when it resolves elsewhere; the errno error when it is gone.
   */
  async path(rel: string): Promise<string> {
    const p = join(this.root, rel);
    this.inside(rel, await realpath(dirname(p)));
    return p;
  }

  /** {@link path} with one synchronous call, for the synchronous writes of small files. */
  pathSync(rel: string): string {
    const p = join(this.root, rel);
    this.inside(rel, realpathSync.native(dirname(p)));
    return p;
  }

  /** @throws ERR_ARCHIVE_CHANGED unless `parent` (resolved) is the root or inside it. */
  private inside(rel: string, parent: string): void {
    if (parent !== this.real && !parent.startsWith(this.real + sep)) throw changed(rel);
  }

  /** Opens the folder `rel` without following a link in its last component. */
  async openDir(rel: string): Promise<FileHandle> {
    const p = await this.path(rel);
    try {
      return await open(p, DIR_FLAGS);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ELOOP" || code === "ENOTDIR") throw changed(rel, e);
      throw e;
    }
  }
}
