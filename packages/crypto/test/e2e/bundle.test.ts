// The portable entry as bundlers see it: small for the classic key types, ML-KEM split off until
// first post-quantum use, one X25519 implementation, and loadable as a classic script (no top-level
// await). The same bundles run in a real browser in browser.test.ts.
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { esmBundle, iifeBundle } from "./bundle.js";

const LIMIT = 40 * 1024;

describe("bundled portable entry", () => {
  it(`an app using X25519 and scrypt loads at most ${LIMIT / 1024} KB gzipped at start`, async () => {
    const b = await esmBundle(["encrypt", "decrypt", "generateIdentity", "identityToRecipient"]);
    console.log(`portable bundle: ${b.eagerGzip} B gzipped at start, ${b.lazyGzip} B on demand`);
    expect(b.eagerGzip).toBeLessThanOrEqual(LIMIT);
    expect(b.eagerGzip).toBeGreaterThan(10 * 1024); // it did bundle the cipher, hashes and X25519
    // ML-KEM (and the X25519 inside it) loads on first post-quantum use only.
    expect(b.eagerInputs.filter((i) => /@noble\/(post-quantum|curves)/.test(i))).toEqual([]);
    expect(b.lazyInputs.some((i) => i.includes("@noble/post-quantum"))).toBe(true);
    // One X25519 at start: tweetnacl's.
    expect(b.eagerInputs.some((i) => i.includes("tweetnacl"))).toBe(true);
  });

  it("bundles as a classic script that works without any Node global", async () => {
    const code = await iifeBundle();
    // A bare realm: no process, require or Buffer, as in a browser page. Text coding comes from
    // outside, copied into this realm's Uint8Array (the library checks instanceof Uint8Array).
    // setTimeout is a page's too: noble's scrypt yields with it once a derivation runs past 10 ms
    // (a CI run failed here without it, when work factor 4 ran that long on a loaded machine).
    const page: Record<string, unknown> = {
      crypto: globalThis.crypto,
      setTimeout,
      encodeOutside: (s: string) => new TextEncoder().encode(s),
      decodeOutside: (b: Uint8Array, fatal: boolean) => new TextDecoder("utf-8", { fatal }).decode(b),
    };
    runInNewContext(
      `globalThis.TextEncoder = class { encode(s) { return new Uint8Array(encodeOutside(s)); } };
       globalThis.TextDecoder = class {
         constructor(_label, o) { this.fatal = !!(o && o.fatal); }
         decode(b) { return decodeOutside(b, this.fatal); }
       };`,
      page,
    );
    runInNewContext(code, page);
    const age = page.dmsAge as typeof import("../../src/portable.js");
    expect(typeof age.encrypt).toBe("function");
    const id = await age.generateIdentity();
    const ct = await age.encrypt("hello from a classic script", {
      recipients: [await age.identityToRecipient(id)],
    });
    expect(await age.decrypt(ct, { identities: [id] }, "text")).toBe("hello from a classic script");
    // (Bytes made out here are of another realm's Uint8Array, so the plaintext is a string.)
    // Work factor 14 takes well over 10 ms here, so scrypt yields to the page's timer every time.
    const locked = await age.encrypt("abc", { passphrase: "p", workFactor: 14 });
    expect([...(await age.decrypt(locked, { passphrase: "p" }))]).toEqual([97, 98, 99]);
    const other = await age.generateIdentity();
    const err = await age.decrypt(ct, { identities: [other] }).catch((e: unknown) => e);
    expect(age.isAgeError(err) && err.code).toBe("ERR_AGE_NO_MATCH");
    expect((await age.inspect(ct)).stanzas.map((s) => s.type)).toEqual(["X25519"]);
  });
});
