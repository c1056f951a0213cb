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
