import { TypesError } from "./errors.js";

// A small checker for hashicorp/go-version syntax, written from its documented behaviour: versions
// are dotted numeric segments (padded to at least 3 for comparison) with an optional pre-release and
// build metadata (ignored in comparisons); constraints are comma-separated `op version` terms.

/** A parsed version. */
export interface Version {
  /** Numeric segments, padded with zeros to at least 3. */
  segments: number[];
  /** How many segments were written (`1.2` → 2). */
  specified: number;
  /** Pre-release part without its leading `-` (`""` when none). */
  pre: string;
  /** The text it was parsed from. */
  original: string;
}

const VERSION_RE =
  /^v?([0-9]+(?:\.[0-9]+)*?)(?:-([0-9]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)|(?:-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)))?(?:\+([0-9A-Za-z\-~]+(?:\.[0-9A-Za-z\-~]+)*))?$/;

/**
 * Parses a version such as `1.8.1`, `v2.0`, `1.0.0-beta.2+build.7`. Like go-version's `NewVersion`
 * the whole text must be the version: surrounding white space is an error (a constraint such as
 * `">= 1.0 "` may have spaces; see {@link parseConstraints}).
 * @throws TypesError `ERR_TYPES_VERSION` when the text is not a version.
 */
export function parseVersion(text: string): Version {
  const m = VERSION_RE.exec(text);
  if (m === null || m[1] === undefined) {
    throw new TypesError(
      "ERR_TYPES_VERSION",
      `malformed version: ${JSON.stringify(text)}; use digits like 1.2.3`,
    );
  }
  const written = m[1].split(".").map(Number);
  if (written.some((n) => !Number.isSafeInteger(n))) {
    throw new TypesError("ERR_TYPES_VERSION", `version segment too large in ${JSON.stringify(text)}`);
  }
  const segments = [...written];
  while (segments.length < 3) segments.push(0);
  return { segments, specified: written.length, pre: m[2] ?? m[3] ?? "", original: text };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "") return 1;
  if (b === "") return -1;
  const pa = a.split(".");
  const pb = b.split(".");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    if (xn && yn) {
      const d = Number(x) - Number(y);
      if (d !== 0) return Math.sign(d);
    } else if (xn !== yn) {
      return xn ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** -1, 0 or 1 as `a` is lower than, equal to or higher than `b` (metadata ignored). */
export function compareVersions(a: Version, b: Version): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const d = (a.segments[i] ?? 0) - (b.segments[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return comparePre(a.pre, b.pre);
}

/** Constraint operators of go-version. `""` means `=`. */
export type ConstraintOperator = "=" | "!=" | ">" | "<" | ">=" | "<=" | "~>";

/** One `op version` term. */
export interface ConstraintTerm {
  op: ConstraintOperator;
  version: Version;
}

const TERM_RE = /^\s*(=|!=|>=|<=|>|<|~>)?\s*(\S+)\s*$/;

/**
 * Parses a comma-separated constraint list (`">= 1.0, < 2.0"`, `"~> 1.2"`, `"1.0"` meaning `= 1.0`).
 * @throws TypesError `ERR_TYPES_VERSION` for an empty list, an unknown operator or a bad version.
 */
export function parseConstraints(text: string): ConstraintTerm[] {
  return text.split(",").map((part) => {
    const m = TERM_RE.exec(part);
    if (m === null || m[2] === undefined) {
      throw new TypesError(
        "ERR_TYPES_VERSION",
        `malformed constraint: ${JSON.stringify(text)}; use terms like ">= 1.2, < 2.0"`,
      );
    }
    return { op: (m[1] ?? "=") as ConstraintOperator, version: parseVersion(m[2]) };
  });
}

function prereleaseOk(v: Version, c: Version, op: ConstraintOperator): boolean {
  const vPre = v.pre !== "";
  const cPre = c.pre !== "";
  // A constraint with a pre-release only matches pre-releases of the same base version; one
  // without a pre-release never matches a pre-release (go-version's rule).
  if (cPre && vPre) return v.segments.every((s, i) => s === (c.segments[i] ?? 0));
  if (!cPre && vPre) return false;
  if (cPre && !vPre) return op !== "~>";
  return true;
}

function checkTerm(v: Version, t: ConstraintTerm): boolean {
  if (!prereleaseOk(v, t.version, t.op)) return false;
  const c = compareVersions(v, t.version);
  switch (t.op) {
    case "=":
      return c === 0;
    case "!=":
      return c !== 0;
    case ">":
      return c > 0;
    case "<":
      return c < 0;
    case ">=":
      return c >= 0;
    case "<=":
      return c <= 0;
    case "~>": {
      if (c < 0) return false;
      // `~> 1.2.3` allows 1.2.x (x >= 3); `~> 1.2` allows 1.x (x >= 2): all written segments but the
      // last must match.
      for (let i = 0; i < t.version.specified - 1; i++) {
        if (v.segments[i] !== t.version.segments[i]) return false;
      }
      return true;
    }
  }
}

/**
 * True when `version` satisfies every term of `constraints`.
 * @throws TypesError `ERR_TYPES_VERSION` when either cannot be parsed.
 * @example satisfies("1.8.1", ">= 1.7.1, < 2") // true
 */
export function satisfies(
  version: string | Version,
  constraints: string | readonly ConstraintTerm[],
): boolean {
  const v = typeof version === "string" ? parseVersion(version) : version;
  const terms = typeof constraints === "string" ? parseConstraints(constraints) : constraints;
  return terms.every((t) => checkTerm(v, t));
}
