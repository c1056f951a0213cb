import { atMost, flag, list, parse, str } from "../args.js";
import { DmsError, usage } from "../errors.js";
import { HELP } from "../help.js";
import { interruptSignal } from "../interrupt.js";
import { readPassphraseFile, statPath } from "../io.js";
import { collectIdentities, encryptionKeys } from "../keys.js";
import {
  loadCrypto,
  loadStorage,
  type StorageApi,
  type StorageIDType,
  type StorageVolume,
  type VolumeController,
} from "../lib.js";
import { type Progress, progress } from "../progress.js";
import { isS3Url } from "../s3-url.js";
import { writeStdout } from "../stdout.js";

const SUBCOMMANDS = [
  "create",
  "lock",
  "verify",
  "ls",
  "size",
  "rm",
  "encrypt",
  "decrypt",
  "push",
  "pull",
  "uploads",
];

/** `dms volume <subcommand>`: storage volumes through @dms/storage's controller. */
export async function volume(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "-h" || sub === "--help") {
    if (sub === undefined) process.stderr.write(HELP.volume ?? "");
    else writeStdout(HELP.volume ?? "");
    return sub === undefined ? 1 : 0;
  }
  if (!SUBCOMMANDS.includes(sub)) {
    throw usage(`unknown volume subcommand '${sub}'; use one of ${SUBCOMMANDS.join(", ")}`);
  }
  const p = parse(`volume ${sub}`, rest, {
    root: { type: "string" },
    private: { type: "boolean" },
    cid: { type: "string" },
    json: { type: "boolean" },
    recipient: { type: "string", short: "r", multiple: true },
    "recipients-file": { type: "string", short: "R", multiple: true },
    identity: { type: "string", short: "i", multiple: true },
    "passphrase-file": { type: "string" },
    abort: { type: "boolean" },
  });
  if (flag(p, "help")) {
    writeStdout(HELP.volume ?? "");
    return 0;
  }
  const allowed: Record<string, string[]> = {
    create: ["private"],
    lock: ["cid"],
    verify: ["json"],
    ls: ["json"],
    size: ["cid", "json"],
    rm: ["cid"],
    encrypt: ["recipient", "recipients-file", "passphrase-file"],
    decrypt: ["identity", "passphrase-file"],
    push: ["recipient", "recipients-file", "passphrase-file", "json"],
    pull: ["identity", "passphrase-file", "json"],
    uploads: ["abort", "json"],
  };
  for (const name of Object.keys(p.values)) {
    if (name !== "root" && !(allowed[sub] ?? []).includes(name)) {
      throw usage(`--${name} does not apply to 'dms volume ${sub}'; see 'dms volume --help'`);
    }
  }
  // Listing a bucket's unfinished uploads needs no storage root.
  if (sub === "uploads") return uploads(p);
  const storage = await loadStorage();
  const root = str(p, "root") ?? storage.defaultStorageRoot(process.env);
  // Encrypt and decrypt draw a progress bar and stop cleanly on Ctrl-C (the step is rolled back).
  const ui: { bar?: Progress } = {};
  const cipher =
    sub === "encrypt" || sub === "decrypt"
      ? storage.ageCipher({ signal: interruptSignal(), onProgress: (e) => ui.bar?.update(e) })
      : undefined;
  const controller = await storage.openController(cipher === undefined ? { root } : { root, cipher });
  try {
    await noteRecoveries(controller);
    return await run(sub, p, storage, controller, ui);
  } finally {
    ui.bar?.done();
    await controller.close();
  }
}

/**
 * Opening the root finished or undid any step a killed process left half done; say so on stderr, so
 * that a volume changing state (or failing to) after a crash is never a surprise.
 */
async function noteRecoveries(c: VolumeController): Promise<void> {
  if (c.recovered.length === 0) return;
  const paths = new Map((await c.listVolumes()).map((v) => [v.ID, v.Path]));
  for (const r of c.recovered) {
    const what = `an interrupted ${r.op} of volume ${paths.get(r.volumeId) ?? r.volumeId}`;
    const line =
      r.outcome === "rolled-back"
        ? `undid ${what}; it is as it was before`
        : r.outcome === "rolled-forward"
          ? `finished ${what}`
          : r.outcome === "failed"
            ? `could not recover ${what}: ${r.error?.message ?? "unknown error"}; it will be retried next time`
            : undefined; // busy: another live process is still running it
    if (line !== undefined) process.stderr.write(`dms: note: ${line}\n`);
  }
}

function isOneOf<T extends string>(s: string, options: readonly T[]): s is T {
  return (options as readonly string[]).includes(s);
}

function one(p: ReturnType<typeof parse>, sub: string, what: string): string {
  atMost(`volume ${sub}`, p, 1);
  const v = p.positionals[0];
  if (v === undefined) throw usage(`missing ${what}; usage: dms volume ${sub} ${what}`);
  return v;
}

/** PATH or --cid CID, exactly one. */
function target(p: ReturnType<typeof parse>, sub: string, storage: StorageApi): [string, StorageIDType] {
  atMost(`volume ${sub}`, p, 1);
  const cid = str(p, "cid");
  const path = p.positionals[0];
  if ((cid === undefined) === (path === undefined)) {
    throw usage(`give either PATH or --cid CID; usage: dms volume ${sub} (PATH | --cid CID)`);
  }
  return cid !== undefined ? [cid, storage.IDType.CID] : [path as string, storage.IDType.Path];
}

async function run(
  sub: string,
  p: ReturnType<typeof parse>,
  storage: StorageApi,
  c: VolumeController,
  ui: { bar?: Progress },
): Promise<number> {
  const out = (s: string) => writeStdout(s);
  switch (sub) {
    case "create": {
      const source = one(p, sub, "SOURCE");
      const sources = Object.values(storage.VolumeSource).filter((s) => s !== "volume-source-undefined");
      if (!isOneOf(source, sources)) {
        throw usage(`unknown volume source '${source}'; use one of ${sources.join(", ")}`);
      }
      const v = await c.createVolume(source, { private: flag(p, "private") });
      out(`${v.Path}\n`);
      return 0;
    }
    case "lock": {
      const cid = str(p, "cid");
      const v = await c.lockVolume(one(p, sub, "PATH"), cid === undefined ? {} : { cid });
      out(`${v.CID}\n`);
      return 0;
    }
    case "verify": {
      const path = one(p, sub, "PATH");
      const r = await c.verifyVolume(path);
      // --json: the whole result on stdout; a changed volume still exits 1 with ERR_DMS_CHANGED.
      if (flag(p, "json")) out(`${JSON.stringify(r, null, 2)}\n`);
      if (r.ok) {
        if (flag(p, "json")) return 0;
        out(`ok ${r.actual}\n`);
        return 0;
      }
      if (!flag(p, "json")) {
        for (const f of r.added) out(`added     ${f}\n`);
        for (const f of r.removed) out(`removed   ${f}\n`);
        for (const f of r.modified) out(`modified  ${f}\n`);
      }
      throw new DmsError(
        "ERR_DMS_CHANGED",
        `volume ${path} changed since it was locked (${r.added.length} added, ${r.removed.length} removed, ` +
          `${r.modified.length} modified; listed on stdout); restore it or lock it again`,
      );
    }
    case "ls": {
      atMost("volume ls", p, 0);
      const vols = await c.listVolumes();
      if (flag(p, "json")) out(`${JSON.stringify(vols, null, 2)}\n`);
      else out(table(vols));
      return 0;
    }
    case "size": {
      const [id, type] = target(p, sub, storage);
      const bytes = await c.getSize(id, type);
      out(flag(p, "json") ? `${JSON.stringify({ bytes })}\n` : `${bytes}\n`);
      return 0;
    }
    case "rm": {
      const [id, type] = target(p, sub, storage);
      await c.deleteVolume(id, type);
      return 0;
    }
    case "encrypt": {
      const path = one(p, sub, "PATH");
      const keys = await encryptionKeys(loadCrypto, {
        r: list(p, "recipient"),
        R: list(p, "recipients-file"),
        p: false,
        passphraseFile: str(p, "passphrase-file"),
      });
      ui.bar = progress("encrypting volume", await c.getSize(path, storage.IDType.Path));
      await c.encryptVolume(path, keys);
      return 0;
    }
    case "decrypt": {
      const path = one(p, sub, "PATH");
      const ids = list(p, "identity");
      const pf = str(p, "passphrase-file");
      if (ids.length === 0 && pf === undefined)
        throw usage("missing keys; use -i FILE or --passphrase-file FILE");
      const keys: { identities?: string[]; passphrase?: string } = {};
      if (ids.length > 0) keys.identities = await collectIdentities(await loadCrypto(), ids);
      if (pf !== undefined) keys.passphrase = await readPassphraseFile(pf);
      ui.bar = progress("decrypting volume");
      await c.decryptVolume(path, keys);
      return 0;
    }
    case "push": {
      atMost("volume push", p, 2);
      const [path, url] = p.positionals;
      if (path === undefined || !isS3Url(url)) {
        throw usage(
          "usage: dms volume push PATH s3://BUCKET/PREFIX [-r RECIPIENT | -R FILE | --passphrase-file FILE]",
        );
      }
      const encrypted =
        list(p, "recipient").length + list(p, "recipients-file").length > 0 ||
        str(p, "passphrase-file") !== undefined;
      const keys = encrypted
        ? await encryptionKeys(loadCrypto, {
            r: list(p, "recipient"),
            R: list(p, "recipients-file"),
            p: false,
            passphraseFile: str(p, "passphrase-file"),
          })
        : undefined;
      await statPath(path);
      const { pushVolume } = await import("../s3.js");
      const r = await pushVolume(c, path, url, keys);
      out(flag(p, "json") ? `${JSON.stringify(r, null, 2)}\n` : `${url}\n`);
      return 0;
    }
    case "pull": {
      const url = one(p, sub, "s3://BUCKET/PREFIX");
      if (!isS3Url(url))
        throw usage(`'${url}' is not an s3:// URL; usage: dms volume pull s3://BUCKET/PREFIX`);
      const ids = list(p, "identity");
      const pf = str(p, "passphrase-file");
      let keys: { identities?: string[]; passphrase?: string } | undefined;
      if (ids.length > 0 || pf !== undefined) {
        keys = {};
        if (ids.length > 0) keys.identities = await collectIdentities(await loadCrypto(), ids);
        if (pf !== undefined) keys.passphrase = await readPassphraseFile(pf);
      }
      const { pullVolume } = await import("../s3.js");
      const v = await pullVolume(c, url, keys);
      out(flag(p, "json") ? `${JSON.stringify(v, null, 2)}\n` : `${v.Path}\n`);
      return 0;
    }
  }
  throw usage(`unknown volume subcommand '${sub}'`);
}

/** `dms volume uploads s3://BUCKET/PREFIX [--abort]`: unfinished multipart uploads, aborted on request. */
async function uploads(p: ReturnType<typeof parse>): Promise<number> {
  const url = one(p, "uploads", "s3://BUCKET/PREFIX");
  if (!isS3Url(url))
    throw usage(`'${url}' is not an s3:// URL; usage: dms volume uploads s3://BUCKET/PREFIX`);
  const { incompleteUploads } = await import("../s3.js");
  const found = await incompleteUploads(url, flag(p, "abort"));
  if (flag(p, "json")) writeStdout(`${JSON.stringify(found, null, 2)}\n`);
  else {
    for (const u of found) {
      writeStdout(
        `${u.aborted ? "aborted" : "incomplete"}  ${u.initiated ?? "-"}  ${u.key}  ${u.uploadId}\n`,
      );
    }
  }
  return 0;
}

function table(vols: StorageVolume[]): string {
  const rows = [["PATH", "CID", "LOCKED", "ENCRYPTED", "PRIVATE", "CREATED"]];
  for (const v of vols) {
    rows.push([
      v.Path,
      v.CID === "" ? "-" : v.CID,
      v.ReadOnly ? "yes" : "no",
      v.EncryptionType === 0 ? "no" : "age",
      v.Private ? "yes" : "no",
      v.CreatedAt,
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map(
      (r) =>
        `${r
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join("  ")
          .trimEnd()}\n`,
    )
    .join("");
}
