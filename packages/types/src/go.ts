import { z } from "zod";

// Go numeric types map to JS numbers. Integers must be safe integers: a JSON value above 2^53 has
// already lost precision in JSON.parse, so it is rejected instead of being silently rounded.
/** Go `int`/`int64`: a safe integer. Values beyond ±2^53 are rejected. @internal */
export const goInt = z.int();
/** Go `uint`/`uint64`: a non-negative safe integer (so at most 2^53-1, not 2^64-1). @internal */
export const goUint = z.int().nonnegative();
/** Go `int32`. @internal */
export const goInt32 = z.int().min(-2147483648).max(2147483647);
/** Go `float32`/`float64`: any finite number. @internal */
export const goFloat = z.number();
/** Go `time.Time` as `encoding/json` writes it (RFC 3339, any fraction, `Z` or an offset). @internal */
export const goTime = z.iso.datetime({ offset: true });
/** A Go slice without `omitempty`: a nil slice is written as `null`, which is kept. @internal */
export const goSlice = <T extends z.ZodType>(item: T) => z.array(item).nullable();
/** A Go `map[string]T` without `omitempty`: a nil map is written as `null`. @internal */
export const goMap = <T extends z.ZodType>(item: T) => z.record(z.string(), item).nullable();

// Go's unicode.IsSpace set. It differs from JS `String.prototype.trim`: Go trims U+0085 (NEL) and
// keeps U+FEFF (BOM); JS does the opposite.
const GO_SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, "g");

/** Go `strings.TrimSpace`: leading and trailing Unicode white space, as Go defines it. @internal */
export function goTrimSpace(s: string): string {
  return s.replace(GO_TRIM, "");
}

/**
 * Go `strings.EqualFold`: equal under simple (one code point to one code point) Unicode case
 * folding, so `"Docker"` ≈ `"docker"` and `"ſ"` ≈ `"s"`, but `"ß"` ≉ `"SS"` and `"İ"` ≉ `"i"`.
 * @internal
 */
export function goEqualFold(a: string, b: string): boolean {
  const x = Array.from(a);
  const y = Array.from(b);
  if (x.length !== y.length) return false;
  return x.every((c, i) => {
    const d = y[i] as string;
    if (c === d) return true;
    const simple = (s: string) => (Array.from(s).length === 1 ? s : undefined);
    const lc = simple(c.toLowerCase());
    const uc = simple(c.toUpperCase());
    return (
      (lc !== undefined && lc === simple(d.toLowerCase())) ||
      (uc !== undefined && uc === simple(d.toUpperCase()))
    );
  });
}

/**
 * A Go `float32` as `fmt` prints it with `%v` (strconv `'g'`, shortest): the fewest digits that
 * read back as the same float32, in `%e` form (`1e+06`, `2.5e-05`) when the decimal exponent is
 * below -4 or at least 6 (Go's threshold for the shortest form; JS's is 21).
 * @internal
 */
export function goFormatFloat32(n: number): string {
  const f = Math.fround(n);
  if (Number.isNaN(f)) return "NaN";
  if (!Number.isFinite(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  let shortest = f;
  for (let p = 1; p <= 9; p++) {
    const v = Number(f.toPrecision(p));
    if (Math.fround(v) === f) {
      shortest = v;
      break;
    }
  }
  const [mantissa, expText] = shortest.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? "-" : "+"}${abs < 10 ? `0${abs}` : abs}`;
  }
  return shortest.toString();
}
