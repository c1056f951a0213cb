import { describe, expect, it } from "vitest";
import { dms, errorCode, onTerminal, withTerminal } from "./helpers.js";

describe("help", () => {
  it("dms --help lists every command", () => {
    const r = dms(["--help"]);
    expect(r.status).toBe(0);
    for (const c of ["keygen", "encrypt", "decrypt", "inspect", "volume"]) expect(r.out).toContain(`  ${c} `);
  });

  it.each(["keygen", "encrypt", "decrypt", "inspect", "volume"])(
    "dms %s --help and -h print its usage",
    (c) => {
      for (const h of ["--help", "-h"]) {
        const r = dms([c, h]);
        expect(r.status).toBe(0);
        expect(r.out).toMatch(/^Usage:/);
        expect(r.out).toContain(`dms ${c}`);
        expect(r.stderr).toBe("");
      }
    },
  );

  it("dms help <command> is the same as dms <command> --help", () => {
    expect(dms(["help", "encrypt"]).out).toBe(dms(["encrypt", "--help"]).out);
  });

  it("no command prints the overview on stderr and exits 1", () => {
    const r = dms([]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Commands:");
  });
});

describe("usage errors are one line with ERR_DMS_USAGE", () => {
  const cases: [string, string[]][] = [
    ["unknown command", ["frobnicate"]],
    ["unknown flag", ["encrypt", "--frob"]],
    ["flag without its value", ["encrypt", "-o"]],
    ["too many inputs", ["encrypt", "-r", "age1x", "a", "b"]],
    ["no recipients", ["encrypt", "-o", "/tmp/never-written.age", "package.json"]],
    ["-p with -r", ["encrypt", "-p", "-r", "age1x", "-o", "/tmp/never-written.age", "package.json"]],
    ["bad --range", ["decrypt", "--range", "12", "x.age"]],
    ["--range from stdin", ["decrypt", "--range", "0:1"]],
    ["-x with -o", ["decrypt", "-x", "d", "-o", "f", "x.age"]],
    ["inspect without FILE", ["inspect"]],
  ];
  it.each(cases)("%s", (_name, args) => {
    const r = dms(args);
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_DMS_USAGE");
    expect(r.stdout.length).toBe(0);
  });

  it("a missing input file is ERR_DMS_NOT_FOUND and names the path", () => {
    const r = dms(["encrypt", "-r", "age1x", "-o", "/tmp/never-written.age", "/nonexistent/in.txt"]);
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_DMS_NOT_FOUND");
    expect(r.stderr).toContain("/nonexistent/in.txt");
  });
});

describe("terminal handling", () => {
  withTerminal("refuses binary ciphertext on a terminal and says to use -a or -o", () => {
    const r = onTerminal(["node", "bin/dms.js", "encrypt", "-r", "age1x", "package.json"]);
    expect(r.status).toBe(1);
    expect(r.output).toContain("use -a for armored text or -o FILE (ERR_DMS_TERMINAL)");
  });

  it("-p without a terminal fails with ERR_DMS_NO_TERMINAL and points at --passphrase-file", () => {
    const r = dms(["encrypt", "-p", "-o", "/tmp/never-written.age", "package.json"], {});
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_DMS_NO_TERMINAL");
    expect(r.stderr).toContain("--passphrase-file");
  });
});
