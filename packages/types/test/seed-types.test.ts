// The types the seed names that the package lacked, as Go writes them (from the upstream struct
// definitions), and Go string types that must stay open.
import { describe, expect, it } from "vitest";
import {
  ExecutorType,
  parseAllocationKey,
  parseBootSource,
  parseContainerImages,
  parseLegacyExecutor,
  parseMessageEnvelope,
  parseServiceResourceRequirements,
  parseVirtualMachine,
  safeParseContainerImages,
} from "../src/index.js";

const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v));
const t = "2023-05-01T10:00:00Z";

describe("seed types parse and round-trip as Go wrote them", () => {
  it.each([
    ["BootSource", parseBootSource, { kernel_image_path: "/vmlinux", boot_args: "console=ttyS0" }],
    [
      "ServiceResourceRequirements (gorm era)",
      parseServiceResourceRequirements,
      { ID: "a1", CreatedAt: t, UpdatedAt: t, DeletedAt: null, CPU: 2000, RAM: 1024, VCPU: 2, HDD: 10 },
    ],
    [
      "ContainerImages (gorm.Model, numeric ID)",
      parseContainerImages,
      {
        ID: 7,
        CreatedAt: t,
        UpdatedAt: t,
        DeletedAt: null,
        ImageID: "sha256:ab",
        ImageName: "alpine",
        Digest: "d",
      },
    ],
    ["Executor {executor_type} (older)", parseLegacyExecutor, { executor_type: "docker" }],
    [
      "VirtualMachine",
      parseVirtualMachine,
      {
        ID: "vm1",
        CreatedAt: t,
        UpdatedAt: t,
        DeletedAt: null,
        socket_file: "/tmp/fc.sock",
        boot_source: "/vmlinux",
        filesystem: "/rootfs.ext4",
        vcpu_count: 2,
        mem_size_mib: 512,
        tap_device: "tap0",
        state: "running",
      },
    ],
  ] as const)("%s", (_name, parse, doc) => {
    const value = (parse as (j: unknown) => unknown)(doc);
    expect(roundTrip(value)).toEqual(doc);
  });

  it("ContainerImages needs gorm's numeric ID and its DeletedAt key", () => {
    const doc = {
      ID: "7",
      CreatedAt: t,
      UpdatedAt: t,
      DeletedAt: null,
      ImageID: "",
      ImageName: "",
      Digest: "",
    };
    expect(safeParseContainerImages(doc)).toMatchObject({ ok: false, error: { field: "ID" } });
    const { DeletedAt: _, ...noDeletedAt } = { ...doc, ID: 7 };
    expect(safeParseContainerImages(noDeletedAt)).toMatchObject({ ok: false, error: { field: "DeletedAt" } });
  });
});

describe("Go string types stay open", () => {
  it("keeps an executor type a newer node writes", () => {
    expect(parseLegacyExecutor({ executor_type: "containerd" }).executor_type).toBe("containerd");
    expect(ExecutorType.Docker).toBe("docker");
  });

  it("keeps any MessageType and a nil Data", () => {
    const doc = { Type: "actor.hello", Data: null };
    expect(roundTrip(parseMessageEnvelope(doc))).toEqual(doc);
  });

  it("keeps an allocation key type it does not know", () => {
    const doc = { type: "x509", file: "a.pem", dest: "/etc/a.pem" };
    expect(parseAllocationKey(doc)).toEqual(doc);
  });
});
