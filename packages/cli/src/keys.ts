import { DmsError, usage } from "./errors.js";
import { readPassphraseFile, readText } from "./io.js";
import type { CoreApi } from "./lib.js";
import { askNewPassphrase } from "./prompt.js";

/**
 * Runs a key parser on the text of file `f`; a key error from it gets `f` as its `path` field, so the one
 * error line can name the file the user gave (the parser only sees text). The error and its code are kept.
 */
function inFile<T>(f: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    const err = e as { code?: unknown; path?: unknown } | null;
    if (typeof err?.code === "string" && err.code.startsWith("ERR_AGE_KEY") && err.path === undefined) {
      Object.defineProperty(err, "path", { value: f, enumerable: true });
    }
    throw e;
  }
}

/** Recipients from -r strings and -R files, in the order given. */
export async function collectRecipients(age: CoreApi, r: string[], files: string[]): Promise<string[]> {
  const out = [...r];
  for (const f of files) {
    const text = await readText(f, "the recipients file");
    const found = inFile(f, () => age.parseRecipients(text));
    if (found.length === 0) {
      throw new DmsError("ERR_DMS_USAGE", `the recipients file ${f} lists no recipients; add age1... lines`);
    }
    out.push(...found);
  }
  return out;
}

/** Identities from -i files (comments and several keys per file allowed). */
export async function collectIdentities(age: CoreApi, files: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of files) {
    const text = await readText(f, "the identity file");
    const found = inFile(f, () => age.parseIdentities(text));
    if (found.length === 0) {
      throw new DmsError(
        "ERR_DMS_USAGE",
        `the identity file ${f} holds no keys; give a file made by 'dms keygen'`,
      );
    }
    out.push(...found);
  }
  return out;
}

/** The encryption target chosen by the flags: recipients, or one passphrase. */
export async function encryptionKeys(
  load: () => Promise<CoreApi>,
  o: { r: string[]; R: string[]; i?: string[]; p: boolean; passphraseFile?: string | undefined },
): Promise<{ recipients: string[] } | { passphrase: string }> {
  const ids = o.i ?? [];
  const byKey = o.r.length + o.R.length + ids.length > 0;
  const byPass = o.p || o.passphraseFile !== undefined;
  if (o.p && o.passphraseFile !== undefined) throw usage("-p and --passphrase-file cannot be used together");
  if (byKey && byPass) {
    throw usage("a passphrase cannot be combined with recipients (age's rule); use one or the other");
  }
  if (!byKey && !byPass)
    throw usage("missing recipients; use -r RECIPIENT, -R FILE, -i IDENTITY, -p or --passphrase-file FILE");
  if (byKey) {
    const age = await load();
    const recipients = await collectRecipients(age, o.r, o.R);
    // `-e -i FILE` encrypts to the recipients of those identities, as age does.
    for (const id of await collectIdentities(age, ids)) recipients.push(await age.identityToRecipient(id));
    return { recipients };
  }
  if (o.passphraseFile !== undefined) return { passphrase: await readPassphraseFile(o.passphraseFile) };
  return { passphrase: await askNewPassphrase() };
}
