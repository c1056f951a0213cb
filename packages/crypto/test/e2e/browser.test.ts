// The portable entry in a real browser: Debian's Chromium, driven headless by playwright-core, loads
// the bundle as an ES module (ML-KEM fetched as a split chunk on first use) and as a classic script,
// and runs test/e2e/browser/checks.js in the page. Skipped visibly without chromium (or the age CLI,
// which makes the files the page decrypts); required in CI (DMS_REQUIRE_TOOLS=1).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haveTool } from "../../../../scripts/tools.mjs";
import { hasAgeCli } from "../helpers.js";
import { esmBundle, iifeBundle } from "./bundle.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "chromium";
const ready = haveTool(CHROMIUM, "the portable entry in a real browser") && hasAgeCli();

const PAGES: Record<string, string> = {
  esm: `<script type="module">import "/esm/entry.js"; window.loaded = true;</script>`,
  iife: `<script src="/iife.js"></script><script>window.loaded = true;</script>`,
};

describe.skipIf(!ready)("portable entry in Chromium", () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  let work: string;
  const input = { ageIdentity: "", ageFiles: {} as Record<string, string> };
  const served: string[] = [];
  let lazyFiles: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "dms-browser-"));
    const keyFile = join(work, "key.txt");
    execFileSync("age-keygen", ["-o", keyFile], { stdio: "ignore" });
    input.ageIdentity = readFileSync(keyFile, "utf8")
      .split("\n")
      .find((l) => l.startsWith("AGE-SECRET-KEY-")) as string;
    const recipient = execFileSync("age-keygen", ["-y", keyFile], { encoding: "utf8" }).trim();
    for (const [name, flags] of [
      ["binary", []],
      ["armored", ["-a"]],
    ] as const) {
      const ct = execFileSync("age", ["-r", recipient, ...flags], { input: `made by the age CLI (${name})` });
      input.ageFiles[name] = ct.toString("base64");
    }
    const esm = await esmBundle("all");
    lazyFiles = esm.lazyFiles;
    const iife = await iifeBundle();
    const checks = readFileSync(new URL("browser/checks.js", import.meta.url));
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      served.push(url.pathname);
      const type = (body: string | Buffer, mime: string) => {
        res.writeHead(200, { "content-type": mime });
        res.end(body);
      };
      const page = PAGES[url.pathname.slice(1)];
      if (page !== undefined) return type(`<!doctype html><meta charset="utf-8">${page}`, "text/html");
      if (url.pathname === "/iife.js") return type(iife, "text/javascript");
      if (url.pathname === "/checks.js") return type(checks, "text/javascript");
      if (url.pathname.startsWith("/esm/") && extname(url.pathname) === ".js") {
        const file = join(esm.dir, normalize(url.pathname.slice(5)).replace(/^(\.\.\/)+/, ""));
        return type(readFileSync(file), "text/javascript");
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const path = execFileSync("sh", ["-c", `command -v ${CHROMIUM}`], { encoding: "utf8" }).trim();
    browser = await chromium.launch({ executablePath: path, args: ["--no-sandbox"] });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(Object.keys(PAGES))(
    "as %s: round trips, streams, ranges, age CLI files, error codes",
    async (mode) => {
      served.length = 0;
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${base}/${mode}`);
      await page.waitForFunction(() => (globalThis as { loaded?: boolean }).loaded === true);
      const lazyServed = () => served.filter((p) => lazyFiles.some((f) => p === `/esm/${f}`));
      expect(lazyServed()).toEqual([]); // ML-KEM is not fetched at start...
      const r = (await page.evaluate(
        `import("/checks.js").then((m) => m.runChecks(globalThis.dmsAge, ${JSON.stringify(input)}))`,
      )) as Record<string, unknown>;
      await page.close();
      expect(errors).toEqual([]);
      // ...but on first post-quantum use (the classic script has it inline).
      if (mode === "esm") expect(lazyServed().length).toBeGreaterThan(0);
      expect(r).toMatchObject({
        x25519: "hello, browser",
        wrongKey: "ERR_AGE_NO_MATCH",
        scrypt: "by passphrase",
        wrongPassphrase: "ERR_AGE_NO_MATCH",
        pq: "post-quantum",
        pqStanzas: ["mlkem768x25519"],
        stream: { bytes: 8 * 1024 * 1024, same: true },
        range: { size: 300_000, same: true, opened: 2 },
        fromAgeCli: { binary: "made by the age CLI (binary)", armored: "made by the age CLI (armored)" },
        tamperedCode: "ERR_AGE_PAYLOAD",
        notAgeCode: "ERR_AGE_NOT_AGE",
      });
    },
  );
});
