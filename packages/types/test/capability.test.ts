import { describe, expect, it } from "vitest";
import {
  addConnectivity,
  addExecutors,
  addHardwareCapability,
  addJobTypes,
  addTimeInformation,
  compareConnectivity,
  compareExecutors,
  compareHardwareCapability,
  compareJobTypes,
  compareKYCs,
  compareLibraries,
  compareLibrary,
  compareLocalities,
  compareLocality,
  comparePriceInformation,
  comparePricesInformation,
  compareTimeInformation,
  containsExecutor,
  type HardwareCapability,
  isStrictlyContained,
  type Library,
  type PriceInformation,
  type Resources,
  subtractConnectivity,
  subtractExecutors,
  subtractHardwareCapability,
  subtractJobTypes,
  TypesError,
  totalTime,
} from "../src/index.js";

const lib = (name: string, version: string, constraint: string): Library => ({ name, version, constraint });
const price = (perHour: number, total: number, currency = "USD"): PriceInformation => ({
  currency,
  currency_per_hour: perHour,
  total_per_job: total,
  preference: 0,
});
const res = (cores: number, clock: number, ram: number, disk: number, vram: number): Resources => ({
  cpu: { cores, clock_speed: clock },
  ram: { size: ram },
  disk: { size: disk },
  gpus: [{ index: 0, vendor: "NVIDIA", pci_address: "", model: "T4", vram, uuid: "" }],
});
const cap = (resources: Resources, extra: Partial<HardwareCapability> = {}): HardwareCapability => ({
  executor: null,
  type: null,
  resources,
  libraries: null,
  locality: null,
  connectivity: { ports: null, vpn: false },
  price: null,
  time: { units: "", max_time: 0, preference: 0 },
  KYCs: null,
  ...extra,
});

describe("Executors", () => {
  it.each([
    [["docker"], ["docker"], "Equal"],
    [["docker"], ["docker", "firecracker"], "Worse"],
    [["docker", "firecracker"], ["docker"], "Better"],
    [["docker"], ["firecracker"], "None"],
    [["docker"], [], "None"],
  ] as const)("%o vs %o → %s", (own, req, want) => {
    expect(compareExecutors([...own], [...req])).toBe(want);
  });

  it("add, subtract, contains", () => {
    expect(addExecutors(["docker"], ["firecracker"])).toEqual(["docker", "firecracker"]);
    expect(addExecutors(["docker"], ["docker"])).toEqual(["docker", "docker"]);
    expect(subtractExecutors(["docker", "firecracker"], ["firecracker"])).toEqual(["docker"]);
    expect(subtractExecutors(["docker"], ["docker"])).toEqual([]);
    expect(containsExecutor(["wasm"], "wasm")).toBe(true);
    expect(containsExecutor(null, "wasm")).toBe(false);
  });

  it("isStrictlyContained", () => {
    expect(isStrictlyContained(["docker", "firecracker", "wasm"], ["docker", "firecracker"])).toBe(true);
    expect(isStrictlyContained(["docker", "firecracker"], ["docker", "firecracker", "wasm"])).toBe(false);
    expect(isStrictlyContained(["docker"], [])).toBe(false);
  });
});

describe("JobTypes", () => {
  it("compare, add, subtract", () => {
    expect(compareJobTypes(["batch", "single_run"], ["batch", "long_running"])).toBe("None");
    expect(compareJobTypes(["batch", "single_run"], ["batch"])).toBe("Better");
    expect(addJobTypes(["batch", "single_run"], ["batch", "long_running"])).toEqual([
      "batch",
      "single_run",
      "long_running",
    ]);
    expect(subtractJobTypes(["batch", "recurring"], ["batch"])).toEqual(["recurring"]);
  });
});

describe("Libraries", () => {
  const own = [lib("tensorflow", "2.4.1", "="), lib("pytorch", "1.8.1", ">")];

  it("upstream cases", () => {
    expect(compareLibraries(own, [lib("tensorflow", "2.4.1", "="), lib("pytorch", "1.7.1", ">=")])).toBe(
      "Better",
    );
    expect(compareLibraries(own, [lib("tensorflow", "2.4.1", "="), lib("pytorch", "1.8.1", "=")])).toBe(
      "Equal",
    );
  });

  it("single library rules", () => {
    expect(compareLibrary(lib("a", "1.0.0", ""), lib("b", "1.0.0", "="))).toBe("None");
    expect(compareLibrary(lib("a", "1.0.0", ""), lib("a", "2.0.0", ">="))).toBe("Worse");
    expect(compareLibrary(lib("a", "1.4.0", ""), lib("a", "", "~> 1.2, != 1.3.0"))).toBe("Better");
  });

  it("a bad version throws ERR_TYPES_VERSION", () => {
    expect(() => compareLibrary(lib("a", "one", ""), lib("a", "1.0", "="))).toThrowError(
      expect.objectContaining({ code: "ERR_TYPES_VERSION" }),
    );
    expect(() => compareLibrary(lib("a", "1.0", ""), lib("a", "1.0", "=<"))).toThrow(TypesError);
  });

  it("Equal only for a constraint of exactly '='; an empty constraint (go-version's =) is Better", () => {
    expect(compareLibrary(lib("a", "2.4.1", ""), lib("a", "2.4.1", "="))).toBe("Equal");
    expect(compareLibrary(lib("a", "2.4.1", ""), lib("a", "2.4.1", ""))).toBe("Better");
    expect(compareLibrary(lib("a", "2.4.1", ""), lib("a", "", "= 2.4.1"))).toBe("Better");
    expect(compareLibrary(lib("a", "2.4.1", ""), lib("a", "2.4.2", ""))).toBe("Worse");
  });

  it("parses before comparing names, as upstream: a bad version or constraint throws even for another name", () => {
    const bad = (f: () => unknown) =>
      expect(f).toThrowError(expect.objectContaining({ code: "ERR_TYPES_VERSION" }));
    bad(() => compareLibrary(lib("a", "one", ""), lib("b", "1.0", "=")));
    bad(() => compareLibrary(lib("a", "1.0", ""), lib("b", "1.0", "=<")));
    expect(() => compareLibrary(lib("a", "one", ""), lib("a", "1.0", "="))).toThrow(
      /^error parsing version: /,
    );
    expect(() => compareLibrary(lib("a", "1.0", ""), lib("a", "1.0", "=<"))).toThrow(
      /^error parsing constraint: /,
    );
  });

  it("a required library with neither constraint nor version is a constraint error, not a match", () => {
    expect(() => compareLibrary(lib("a", "0.0.0", ""), lib("a", "", ""))).toThrowError(
      expect.objectContaining({ code: "ERR_TYPES_VERSION" }),
    );
  });

  it("lists compare every pair first, so any unparsable library is an error (upstream's matrix)", () => {
    const own = [lib("a", "1.0.0", ""), lib("b", "not-a-version", "")];
    expect(() => compareLibraries(own, [lib("a", "1.0.0", "=")])).toThrowError(
      expect.objectContaining({
        code: "ERR_TYPES_VERSION",
        message: expect.stringMatching(/^error comparing library: error parsing version: /),
      }),
    );
    const c = cap(res(1, 1, 1, 1, 1), { libraries: own });
    const r = cap(res(1, 1, 1, 1, 1), { libraries: [lib("a", "1.0.0", "=")] });
    expect(() => compareHardwareCapability(c, r)).toThrowError(
      expect.objectContaining({
        code: "ERR_TYPES_VERSION",
        message: expect.stringMatching(/^error comparing Libraries: error comparing library: /),
      }),
    );
  });

  it("a required library the machine lacks is Worse", () => {
    expect(compareLibraries([], [lib("a", "1.0", "=")])).toBe("Worse");
  });
});

describe("Locality", () => {
  it("same kind other name → Worse; other kind → None", () => {
    expect(compareLocality({ kind: "region", name: "EU" }, { kind: "region", name: "US" })).toBe("Worse");
    expect(compareLocality({ kind: "region", name: "EU" }, { kind: "country", name: "EU" })).toBe("None");
    expect(compareLocality({ kind: "region", name: "EU" }, { kind: "region", name: "EU" })).toBe("Equal");
  });

  it("lists", () => {
    const own = [
      { kind: "region", name: "EU" },
      { kind: "country", name: "DE" },
    ];
    expect(compareLocalities(own, [{ kind: "region", name: "EU" }])).toBe("Equal");
    expect(compareLocalities(own, [{ kind: "country", name: "FR" }])).toBe("Worse");
    expect(compareLocalities(own, [{ kind: "city", name: "Berlin" }])).toBe("None");
    expect(compareLocalities(own, [])).toBe("Equal");
  });
});

describe("Connectivity", () => {
  it("compare", () => {
    expect(compareConnectivity({ ports: [2000, 3000, 4000], vpn: true }, { ports: [3000], vpn: false })).toBe(
      "Better",
    );
    expect(compareConnectivity({ ports: [3000], vpn: false }, { ports: [3000], vpn: true })).toBe("None");
    expect(compareConnectivity({ ports: [2000, 3000], vpn: false }, { ports: [3000], vpn: false })).toBe(
      "None",
    );
    expect(compareConnectivity({ ports: [3000], vpn: true }, { ports: [3000], vpn: true })).toBe("Equal");
  });

  it("add and subtract", () => {
    expect(addConnectivity({ ports: [1, 2], vpn: false }, { ports: [2, 3], vpn: true })).toEqual({
      ports: [1, 2, 3],
      vpn: true,
    });
    expect(subtractConnectivity({ ports: [3000], vpn: true }, { ports: [3000], vpn: true })).toEqual({
      ports: null,
      vpn: false,
    });
    expect(subtractConnectivity({ ports: [1, 2], vpn: true }, { ports: [1], vpn: false })).toEqual({
      ports: [2],
      vpn: true,
    });
  });
});

describe("Price", () => {
  it.each([
    [price(100, 1000), price(100, 1000), "Equal"],
    [price(80, 1000), price(100, 1000), "Better"],
    [price(100, 1000), price(80, 1000), "Worse"],
    [price(100, 800), price(80, 1000), "Worse"],
    [price(80, 800), price(100, 1000), "Better"],
    [price(80, 1200), price(100, 1000), "Worse"],
    [price(80, 800, "EUR"), price(100, 1000), "None"],
  ])("%o vs %o → %s", (own, req, want) => {
    expect(comparePriceInformation(own, req)).toBe(want);
  });

  it("lists", () => {
    expect(comparePricesInformation([price(1, 1)], [price(1, 1, "MAD"), price(1, 1, "EUR")])).toBe("None");
    expect(comparePricesInformation([price(1, 1)], [price(1, 1)])).toBe("Equal");
    expect(comparePricesInformation([price(1, 1, "EUR"), price(80, 800)], [price(100, 1000)])).toBe("Better");
  });

  it("lists: the first own price comparable with any required one decides (own outer, as upstream)", () => {
    const own = [price(100, 1000), price(80, 800, "EUR")];
    const req = [price(100, 1000, "EUR"), price(80, 1000)];
    // own USD vs required EUR → None; own USD vs required USD → Worse (same total, dearer per hour).
    expect(comparePricesInformation(own, req)).toBe("Worse");
    expect(comparePricesInformation([price(80, 800, "EUR"), price(100, 1000)], req)).toBe("Better");
  });
});

describe("Time", () => {
  it("compares total seconds", () => {
    const t = (units: string, max_time: number) => ({ units, max_time, preference: 0 });
    expect(compareTimeInformation(t("seconds", 120), t("minutes", 2))).toBe("Equal");
    expect(compareTimeInformation(t("seconds", 180), t("minutes", 2))).toBe("Better");
    expect(compareTimeInformation(t("minutes", 60), t("hours", 2))).toBe("Worse");
    expect(compareTimeInformation(t("days", 1), t("hours", 24))).toBe("Equal");
    expect(compareTimeInformation(t("fortnights", 5), t("seconds", 5))).toBe("Equal");
    expect(compareTimeInformation(t("toString", 5), t("seconds", 5))).toBe("Equal");
    expect(addTimeInformation(t("hours", 1), t("minutes", 30))).toEqual(t("hours", 31));
  });

  it("knows only the exact plural units; singular or capitalised units are unknown (raw max_time)", () => {
    const t = (units: string, max_time: number) => ({ units, max_time, preference: 0 });
    expect(totalTime(t("minutes", 2))).toBe(120);
    expect(totalTime(t("minute", 2))).toBe(2);
    expect(totalTime(t("hour", 1))).toBe(1);
    expect(totalTime(t("day", 1))).toBe(1);
    expect(totalTime(t("second", 7))).toBe(7);
    expect(totalTime(t("Hours", 1))).toBe(1);
    expect(compareTimeInformation(t("minute", 2), t("seconds", 60))).toBe("Worse");
  });
});

describe("KYCs", () => {
  it("compare", () => {
    const ke = { type: "kyc", data: "ke" };
    const ed = { type: "kyc", data: "ed" };
    const kde = { type: "kyc", data: "kde" };
    expect(compareKYCs([ke], [ke, ed])).toBe("Equal");
    expect(compareKYCs([kde], [ke, ed])).toBe("None");
    expect(compareKYCs([ke], [])).toBe("Better");
    expect(compareKYCs(null, [])).toBe("Equal");
  });
});

describe("HardwareCapability", () => {
  it("resources better, everything else equal → Better", () => {
    expect(
      compareHardwareCapability(cap(res(2, 1000, 1000, 1000, 1000)), cap(res(1, 500, 500, 500, 500))),
    ).toBe("Better");
  });

  it("a None field with a Worse field gives Worse whatever the field order", () => {
    const own = cap(res(1, 1, 1, 1, 1), { executor: ["docker"] });
    const req = cap(res(2, 1, 1, 1, 1), { executor: ["wasm"] });
    expect(compareHardwareCapability(own, req)).toBe("Worse");
  });

  it("add and subtract field by field", () => {
    const a = cap(res(1, 1000, 100, 100, 10), {
      executor: ["docker"],
      type: ["batch"],
      KYCs: [{ type: "k", data: "1" }],
      connectivity: { ports: [80], vpn: false },
      time: { units: "hours", max_time: 2, preference: 0 },
    });
    const b = cap(res(1, 1000, 50, 50, 5), {
      executor: ["wasm"],
      type: ["batch", "recurring"],
      KYCs: [{ type: "k", data: "1" }],
      connectivity: { ports: [443], vpn: true },
      time: { units: "hours", max_time: 1, preference: 0 },
    });
    const sum = addHardwareCapability(a, b);
    expect(sum.executor).toEqual(["docker", "wasm"]);
    expect(sum.type).toEqual(["batch", "recurring"]);
    expect(sum.KYCs).toEqual([{ type: "k", data: "1" }]);
    expect(sum.resources.ram.size).toBe(150);
    expect(sum.connectivity).toEqual({ ports: [80, 443], vpn: true });
    expect(sum.time.max_time).toBe(3);
    const back = subtractHardwareCapability(sum, b);
    expect(back.executor).toEqual(["docker"]);
    expect(back.resources.ram.size).toBe(100);
    expect(back.resources.gpus?.[0]?.vram).toBe(10);
    expect(back.time.max_time).toBe(2);
    expect(() => subtractHardwareCapability(a, sum)).toThrowError(
      expect.objectContaining({ code: "ERR_TYPES_UNDERFLOW" }),
    );
    expect(() => subtractHardwareCapability(a, sum)).toThrowError(
      /^error subtracting Resources: error subtracting /,
    );
  });
});
