/** Bytes to whole gigabytes (÷10^9, rounded down, as Go's integer division). */
export function bytesToGB(bytes: number): number {
  return Math.floor(bytes / 1e9);
}

/** Gigabytes to bytes (×10^9). */
export function gbToBytes(gb: number): number {
  return gb * 1e9;
}

/** Mebibytes to bytes (×1024²). */
export function mibToBytes(mib: number): number {
  return mib * 1024 * 1024;
}

/** Hertz to gigahertz (÷10^9). */
export function hzToGHz(hz: number): number {
  return hz / 1e9;
}

/** Rounds to `places` decimals, halves away from zero (Go's `math.Round`). @internal */
export function round(value: number, places: number): number {
  const f = 10 ** places;
  return (Math.sign(value) * Math.round(Math.abs(value) * f)) / f;
}
