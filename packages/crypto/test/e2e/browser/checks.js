// Runs in the browser page (served as a module by browser.test.ts), against the bundled portable
// entry on globalThis.dmsAge. Returns plain data for the test to assert on.

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const fromBase64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const sha256 = async (b) => hex(new Uint8Array(await crypto.subtle.digest("SHA-256", b)));

async function codeOf(promise) {
  try {
    await promise;
    return "no error";
  } catch (e) {
    return globalThis.dmsAge.isAgeError(e) ? e.code : `not an AgeError: ${e}`;
  }
}

async function collect(stream) {
  const parts = [];
  let n = 0;
  for await (const p of stream) {
    parts.push(p);
    n += p.length;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function randomStream(total, step) {
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent >= total) return c.close();
      const n = Math.min(step, total - sent);
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
      sent += n;
      c.enqueue(b);
    },
  });
}

export async function runChecks(age, input) {
  const r = {};
  const id = await age.generateIdentity();
  const recipients = [await age.identityToRecipient(id)];

  const ct = await age.encrypt("hello, browser", { recipients });
  r.x25519 = await age.decrypt(ct, { identities: [id] }, "text");
  r.wrongKey = await codeOf(age.decrypt(ct, { identities: [await age.generateIdentity()] }));

  const locked = await age.encrypt("by passphrase", { passphrase: "correct horse", workFactor: 10 });
  r.scrypt = await age.decrypt(locked, { passphrase: "correct horse" }, "text");
  r.wrongPassphrase = await codeOf(age.decrypt(locked, { passphrase: "wrong" }));

  const pq = await age.generateHybridIdentity();
  const pqCt = await age.encrypt("post-quantum", { recipients: [await age.identityToRecipient(pq)] });
  r.pq = await age.decrypt(pqCt, { identities: [pq] }, "text");
  r.pqStanzas = (await age.inspect(pqCt)).stanzas.map((s) => s.type);

  // 8 MiB through the Web Streams API, hashed on both sides.
  const plainParts = [];
  const source = randomStream(8 * 1024 * 1024, 1024 * 1024).pipeThrough(
    new TransformStream({
      transform(c, ctl) {
        plainParts.push(c);
        ctl.enqueue(c);
      },
    }),
  );
  const sealed = await collect(source.pipeThrough(age.createEncryptStream({ recipients })));
  const opened = await collect(
    new Blob([sealed]).stream().pipeThrough(age.createDecryptStream({ identities: [id] })),
  );
  r.stream = {
    bytes: opened.length,
    sealedBytes: sealed.length,
    same: (await sha256(opened)) === (await sha256(await new Blob(plainParts).arrayBuffer())),
  };

  // A byte range of a Blob, decrypting only the chunks it covers.
  const big = new Uint8Array(300_000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 255;
  const bigCt = await age.encrypt(big, { recipients });
  const f = await age.openEncrypted(age.blobRangeSource(new Blob([bigCt])), { identities: [id] });
  const part = await f.read(200_000, 1000);
  r.range = {
    size: f.size,
    same: hex(part) === hex(big.subarray(200_000, 201_000)),
    opened: f.stats.chunksOpened,
  };
  await f.close();

  // Files made by the age CLI.
  r.fromAgeCli = {};
  for (const [name, b64] of Object.entries(input.ageFiles)) {
    r.fromAgeCli[name] = await age.decrypt(fromBase64(b64), { identities: [input.ageIdentity] }, "text");
  }
  const tampered = fromBase64(input.ageFiles.binary);
  tampered[tampered.length - 1] ^= 1;
  r.tamperedCode = await codeOf(age.decrypt(tampered, { identities: [input.ageIdentity] }));
  // Binary bytes that are not age (printable text is classed as damaged armor, as CCTV does).
  r.notAgeCode = await codeOf(age.decrypt(new Uint8Array([0, 159, 146, 150, 10]), { identities: [id] }));
  return r;
}
