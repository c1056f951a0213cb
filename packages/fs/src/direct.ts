// Writing a big output around the page cache. Every output file is fsynced before it is renamed into
// place, so keeping its bytes in the page cache first only adds work: the kernel has to find and fill
// a page for every 4 KiB and write it again at the fsync. On the 2-core VMs here finding the pages
// is most of it: the guest hands free memory back to the host (free page reporting), and refilling a
// page costs a host fault, so 1 GiB into the page cache took 0.25 s with recently freed pages and
// 1.5-2.3 s with reported ones, against 0.5 s straight to the disk with O_DIRECT, durable included.
//
// So an output that grows past one buffer is written with O_DIRECT from two aligned 4 MiB buffers:
// the caller fills one while the thread pool writes the other. O_DIRECT wants the address, length
// and file offset of each write aligned to the device's logical block (512 or 4096 bytes):
// WebAssembly memory is page-aligned, the buffers are multiples of 4 KiB and written at multiples
// of their size, and the tail is written padded to 4 KiB, then the file is truncated to its size.
// Where the filesystem refuses O_DIRECT (tmpfs, some FUSE) or a write is refused for alignment,
// the same bytes go through the ordinary descriptor, so nothing depends on it.
import { closeSync, constants, ftruncate, openSync, write } from "node:fs";

const BUFFER = 4 * 1024 * 1024;
const REFUSED = new Set(["EINVAL", "ENOTSUP", "EOPNOTSUPP"]);
const ALIGN = 4096;
const WASM_PAGE = 64 * 1024;

const writeAt = (fd: number, buf: Uint8Array, len: number, pos: number): Promise<void> =>
  new Promise((res, rej) => {
    const more = (done: number): void => {
      if (done === len) {
        res();
        return;
      }
      write(fd, buf, done, len - done, pos + done, (err, n) => (err ? rej(err) : more(done + n)));
    };
    more(0);
  });

/** Where {@link DirectWriter} sends its bytes. */
export interface DirectTarget {
  /** The output's ordinary descriptor, of a regular file (also the fallback for every write). */
  fd: number;
  /**
   * What to open with O_DIRECT once the output outgrows one buffer. By default the descriptor's
   * own entry in /proc, which reopens the same file whatever happened to its path since.
   */
  reopen?: string;
  /** False to never try O_DIRECT (tests, or a caller that wants the page cache). */
  direct?: boolean;
}

// Linux only: elsewhere O_DIRECT is not a flag (macOS has F_NOCACHE instead) and /proc is absent.
const O_DIRECT = process.platform === "linux" ? constants.O_DIRECT : undefined;

/**
 * A sequential writer of one file at aligned offsets: see the module comment. Each writev copies its
 * parts before it returns, so callers may reuse them; a write that failed in the background fails
 * the next call that waits for it (the next full buffer, or end).
 */
export class DirectWriter {
  private bufs: Uint8Array[] | undefined;
  private cur = 0;
  private fill = 0;
  /** The file offset of the buffer being filled. */
  private pos = 0;
  private directFd: number | undefined;
  private tried: boolean;
  private pending: Promise<void> | undefined;
  private failure: unknown;
  private aligned = false;

  constructor(private readonly target: DirectTarget) {
    this.tried = target.direct === false || O_DIRECT === undefined;
  }

  /** True once the output is being written with O_DIRECT. */
  get isDirect(): boolean {
    return this.directFd !== undefined;
  }

  /** Bytes accepted so far. */
  get size(): number {
    return this.pos + this.fill;
  }

  async writev(parts: readonly Uint8Array[]): Promise<void> {
    for (const p of parts) {
      let off = 0;
      while (off < p.length) {
        if (!this.bufs) {
          const aligned = buffers();
          if (!aligned) this.tried = true; // unaligned buffers cannot go to O_DIRECT
          this.bufs = aligned ?? [new Uint8Array(BUFFER), new Uint8Array(BUFFER)];
          this.aligned = aligned !== undefined;
        }
        const buf = this.bufs[this.cur] as Uint8Array;
        const n = Math.min(p.length - off, BUFFER - this.fill);
        buf.set(n === p.length ? p : p.subarray(off, off + n), this.fill);
        this.fill += n;
        off += n;
        if (this.fill === BUFFER) await this.flush();
      }
    }
    if (this.failure) throw this.failure;
  }

  /** Writes what is left and gives the file its exact size; the caller then fsyncs it. */
  async end(): Promise<void> {
    await this.settle();
    const len = this.fill;
    if (len > 0) {
      const buf = this.bufs?.[this.cur] as Uint8Array;
      if (this.directFd === undefined) await this.put(buf, len, this.pos);
      else {
        const padded = Math.ceil(len / ALIGN) * ALIGN;
        buf.fill(0, len, padded);
        await this.put(buf, padded, this.pos);
        await new Promise<void>((res, rej) =>
          ftruncate(this.target.fd, this.pos + len, (e) => (e ? rej(e) : res())),
        );
      }
    }
    this.pos += len;
    this.fill = 0;
    await this.close();
  }

  /**
   * Waits for the write in flight, then closes the O_DIRECT descriptor (the caller owns the
   * ordinary one, and may close it once this resolves: a write queued on a closed descriptor
   * could land in whatever file next gets its number). Never throws.
   */
  async close(): Promise<void> {
    await this.pending?.catch(() => {});
    this.pending = undefined;
    if (this.bufs && this.aligned && spare.length < SPARE_PAIRS) spare.push(this.bufs);
    this.bufs = undefined;
    if (this.directFd === undefined) return;
    try {
      closeSync(this.directFd);
    } catch {
      // Already closed.
    }
    this.directFd = undefined;
  }

  /** Starts writing the full buffer and moves to the other one once the previous write is done. */
  private async flush(): Promise<void> {
    await this.settle();
    if (!this.tried) {
      this.tried = true;
      try {
        const path = this.target.reopen ?? `/proc/self/fd/${this.target.fd}`;
        this.directFd = openSync(path, constants.O_WRONLY | (O_DIRECT as number));
      } catch {
        // No O_DIRECT here: the ordinary descriptor it is.
      }
    }
    const buf = this.bufs?.[this.cur] as Uint8Array;
    this.pending = this.put(buf, BUFFER, this.pos).catch((e: unknown) => {
      this.failure ??= e;
    });
    this.pos += BUFFER;
    this.cur ^= 1;
    this.fill = 0;
  }

  private async settle(): Promise<void> {
    await this.pending;
    this.pending = undefined;
    if (this.failure) throw this.failure;
  }

  private async put(buf: Uint8Array, len: number, pos: number): Promise<void> {
    if (this.directFd !== undefined) {
      try {
        return await writeAt(this.directFd, buf, len, pos);
      } catch (e) {
        if (!REFUSED.has((e as NodeJS.ErrnoException).code ?? "")) throw e;
        // Refused (alignment on a device with bigger blocks, or not supported after all): no more
        // O_DIRECT for this file.
        closeSync(this.directFd);
        this.directFd = undefined;
      }
    }
    await writeAt(this.target.fd, buf, len, pos);
  }
}

/**
 * Buffer pairs of finished writers, kept for the next ones: their pages are already mapped, and each
 * WebAssembly memory reserves far more address space than it uses (V8 caps the total).
 */
const spare: Uint8Array[][] = [];
const SPARE_PAIRS = 4;

/** Two aligned buffers, or undefined when no WebAssembly memory can be had. */
function buffers(): Uint8Array[] | undefined {
  const reused = spare.pop();
  if (reused) return reused;
  try {
    // WebAssembly memory starts on a page boundary, which O_DIRECT needs and a Buffer does not give.
    const mem = new WebAssembly.Memory({ initial: (2 * BUFFER) / WASM_PAGE });
    return [new Uint8Array(mem.buffer, 0, BUFFER), new Uint8Array(mem.buffer, BUFFER, BUFFER)];
  } catch {
    return undefined;
  }
}
