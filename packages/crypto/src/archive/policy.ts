import { hasBidiControl, hasControl } from "@dms/fs";
import { archiveError, UNTRUSTED } from "./errors.js";
import { checkName, foldKey, type Limits } from "./names.js";

/** What a path is in the tree being extracted. */
type Kind = "file" | "dir" | "implicit-dir" | "symlink" | "hardlink";

/** The subset of a tar header the policy looks at. */
interface EntryHeader {
  name: string;
  type: string;
  size: number;
  mode: number;
  linkname?: string | null | undefined;
}

/** One admitted entry: what to create, where (components relative to the root), and how. */
export type Action =
  | { kind: "root" }
  | { kind: "dir"; path: string; parents: string[]; mode: number; exists: boolean }
  | { kind: "file"; path: string; parents: string[]; mode: number; size: number }
  | { kind: "symlink"; path: string; parents: string[]; target: string }
  | { kind: "hardlink"; path: string; parents: string[]; target: string };

const LINK_TODO = "extract without allowLinks, or ask the sender for an archive without such links";

/**
 * The rules of hardened extraction, kept apart from any I/O so they can be tested alone.
 * It remembers every path the archive created (and the folded spelling of each), which is
 * what lets it refuse duplicates, collisions and writes through links before anything is
 * written.
 */
export class ExtractPolicy {
  // Read once per extraction: archive modes are masked by it, as `tar -x` does for a non-root user.
  private readonly umask = process.umask();
  private readonly kinds = new Map<string, Kind>();
  private readonly folded = new Map<string, string>();
  // Folded paths that an earlier symlink's target passes through: making one of them a
  // symlink later would redirect the earlier link.
  private readonly linkTargetPrefixes = new Set<string>();
  entries = 0;
  bytes = 0;

  constructor(private readonly limits: Limits) {}

  /**
   * Checks the next entry and records it.
   *
   * @throws AgeError with one of the ERR_ARCHIVE_* refusal codes.
   */
  admit(h: EntryHeader): Action {
    this.entries++;
    if (this.entries > this.limits.maxEntries) {
      throw archiveError(
        "ERR_ARCHIVE_TOO_MANY_ENTRIES",
        h.name,
        `the archive has more than ${this.limits.maxEntries} entries (maxEntries)`,
        "raise maxEntries if you trust the archive",
      );
    }
    const parts = checkName(h.name, this.limits);
    const type = h.type;
    if (type === "symlink" || type === "link") {
      if (!this.limits.allowLinks) {
        throw archiveError(
          "ERR_ARCHIVE_LINK",
          h.name,
          `the entry is a ${type === "link" ? "hardlink" : "symlink"}`,
          "allow links (option allowLinks; dms decrypt --allow-links) if you trust the archive's links",
        );
      }
    } else if (type !== "file" && type !== "contiguous-file" && type !== "directory") {
      throw archiveError(
        "ERR_ARCHIVE_SPECIAL_FILE",
        h.name,
        `the entry is a ${type}, only files, directories and links can be extracted`,
        UNTRUSTED,
      );
    }
    if (parts.length === 0) {
      if (type === "directory") return { kind: "root" };
      throw archiveError(
        "ERR_ARCHIVE_MALFORMED",
        h.name,
        "only a directory may name the archive root",
        UNTRUSTED,
      );
    }
    const isFile = type === "file" || type === "contiguous-file";
    if (isFile) {
      if (!Number.isSafeInteger(h.size) || h.size < 0) {
        throw archiveError(
          "ERR_ARCHIVE_MALFORMED",
          h.name,
          "the entry size is not a valid number",
          UNTRUSTED,
        );
      }
      this.bytes += h.size;
      if (this.bytes > this.limits.maxTotalBytes) {
        throw archiveError(
          "ERR_ARCHIVE_TOO_LARGE",
          h.name,
          `the archive holds more than ${this.limits.maxTotalBytes} bytes (maxTotalBytes)`,
          "raise maxTotalBytes if you trust the archive and have the space",
        );
      }
    }

    const parents = this.admitParents(h.name, parts);
    const path = parts.join("/");
    const kind: Kind = isFile
      ? "file"
      : type === "directory"
        ? "dir"
        : type === "link"
          ? "hardlink"
          : "symlink";
    const mode = extractMode(h.mode, kind === "dir", this.umask);
    const exists = this.kinds.get(path) === "implicit-dir";
    let target = "";
    if (kind === "symlink") target = this.checkSymlink(h, parts);
    if (kind === "hardlink") target = this.checkHardlink(h);
    this.record(h.name, path, kind);

    switch (kind) {
      case "dir":
        return { kind: "dir", path, parents, mode, exists };
      case "file":
        return { kind: "file", path, parents, mode, size: h.size };
      case "symlink":
        return { kind: "symlink", path, parents, target };
      default:
        return { kind: "hardlink", path, parents, target };
    }
  }

  /** Parent directories the entry needs that do not exist yet, outermost first. */
  private admitParents(name: string, parts: string[]): string[] {
    const created: string[] = [];
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join("/");
      const kind = this.kinds.get(prefix);
      if (kind === undefined) {
        this.checkFold(name, prefix);
        this.kinds.set(prefix, "implicit-dir");
        this.folded.set(foldKey(prefix), prefix);
        created.push(prefix);
      } else if (kind === "symlink") {
        throw archiveError(
          "ERR_ARCHIVE_LINK",
          name,
          `the entry would be written through the link ${JSON.stringify(prefix)}`,
          UNTRUSTED,
        );
      } else if (kind !== "dir" && kind !== "implicit-dir") {
        throw archiveError(
          "ERR_ARCHIVE_COLLISION",
          name,
          `the entry needs ${JSON.stringify(prefix)} to be a directory, but an earlier entry made it a file`,
          UNTRUSTED,
        );
      }
    }
    return created;
  }

  private checkFold(name: string, path: string): void {
    const other = this.folded.get(foldKey(path));
    if (other !== undefined && other !== path) {
      throw archiveError(
        "ERR_ARCHIVE_COLLISION",
        name,
        `the path ${JSON.stringify(path)} is the same file as ${JSON.stringify(other)} on case-insensitive or Unicode-normalising filesystems`,
        UNTRUSTED,
      );
    }
  }

  private record(name: string, path: string, kind: Kind): void {
    const existing = this.kinds.get(path);
    if (existing === "implicit-dir" && kind === "dir") {
      this.kinds.set(path, "dir");
      return;
    }
    if (existing !== undefined) {
      throw archiveError("ERR_ARCHIVE_DUPLICATE", name, "the archive holds this path twice", UNTRUSTED);
    }
    this.checkFold(name, path);
    if (kind === "symlink" && this.linkTargetPrefixes.has(foldKey(path))) {
      throw archiveError(
        "ERR_ARCHIVE_LINK",
        name,
        "an earlier link points through this path, so a link here would redirect it",
        UNTRUSTED,
      );
    }
    this.kinds.set(path, kind);
    this.folded.set(foldKey(path), path);
  }

  /** Symlink targets resolve against the link's own directory and must stay inside the root. */
  private checkSymlink(h: EntryHeader, parts: string[]): string {
    const target = h.linkname ?? "";
    const bad = (problem: string): never => {
      throw archiveError(
        "ERR_ARCHIVE_LINK",
        h.name,
        `the symlink target ${JSON.stringify(target)} ${problem}`,
        LINK_TODO,
      );
    };
    if (target === "") bad("is empty");
    if (hasControl(target)) bad("contains a control character");
    if (hasBidiControl(target)) bad("contains a bidirectional control character");
    if (target.includes("\\")) bad("contains a backslash");
    if (/^[A-Za-z]:/.test(target)) bad("starts with a drive letter");
    if (target.startsWith("/")) bad("is absolute");
    const resolved = parts.slice(0, -1);
    let named = false;
    for (const c of target.split("/")) {
      if (c === "" || c === ".") continue;
      if (c === "..") {
        // `..` after a name would be resolved by the kernel after following that name,
        // which may itself become a link; only leading `..` are plain arithmetic.
        if (named) bad("has `..` after a name");
        if (resolved.length === 0) bad("points outside the target directory");
        resolved.pop();
        continue;
      }
      named = true;
      resolved.push(c);
      const prefix = resolved.join("/");
      const kind = this.kinds.get(prefix);
      if (kind === "symlink") bad(`points through the link ${JSON.stringify(prefix)}`);
      this.linkTargetPrefixes.add(foldKey(prefix));
    }
    return target;
  }

  /** Hardlink targets are archive paths (tar's rule) and must name an earlier regular file. */
  private checkHardlink(h: EntryHeader): string {
    const target = h.linkname ?? "";
    let parts: string[];
    try {
      parts = checkName(target, this.limits);
    } catch (e) {
      throw archiveError(
        "ERR_ARCHIVE_LINK",
        h.name,
        `the hardlink target ${JSON.stringify(target)} is unsafe`,
        LINK_TODO,
        e,
      );
    }
    const path = parts.join("/");
    const kind = this.kinds.get(path);
    if (kind !== "file" && kind !== "hardlink") {
      throw archiveError(
        "ERR_ARCHIVE_LINK",
        h.name,
        `the hardlink target ${JSON.stringify(target)} is not an earlier regular file of the archive`,
        LINK_TODO,
      );
    }
    return path;
  }
}

/**
 * The mode an extracted entry gets: never more than `tar -x` gives. The umask applies; set-uid and
 * set-gid are dropped; a directory keeps its sticky bit, and a world-writable one without it loses
 * world write (so no one else can replace files in it).
 */
export function extractMode(archived: number, isDir: boolean, umask: number): number {
  let mode = archived & (isDir ? 0o1777 : 0o777) & ~umask;
  if (isDir && mode & 0o002 && !(mode & 0o1000)) mode &= ~0o002;
  return mode;
}
