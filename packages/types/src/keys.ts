import { z } from "zod";
import type { AllocationKeyType } from "./constants.js";
import type { ParseResult } from "./validate.js";
import { parse, safeParse } from "./validate.js";

/** A blockchain account (upstream `Account`; all fields omitempty). Holds secrets: never log it. */
export const AccountSchema = z.object({
  address: z.string().optional(),
  private_key: z.string().optional(),
  mnemonic: z.string().optional(),
});
/** See {@link AccountSchema}. */
export type Account = z.output<typeof AccountSchema>;

export { AllocationKeyType } from "./constants.js";

/** A key to upload to an allocation (upstream `AllocationKey`): `type`, source `file`, `dest` path. */
export const AllocationKeySchema = z.object({
  type: z.string() as z.ZodType<AllocationKeyType>,
  file: z.string(),
  dest: z.string(),
});
/** See {@link AllocationKeySchema}. */
export type AllocationKey = z.output<typeof AllocationKeySchema>;

/**
 * Parses a {@link Account} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseAccount(json: unknown): Account {
  return parse(AccountSchema, json, "Account");
}

/** Non-throwing {@link parseAccount}. */
export function safeParseAccount(json: unknown): ParseResult<Account> {
  return safeParse(AccountSchema, json, "Account");
}

/**
 * Parses a {@link AllocationKey} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseAllocationKey(json: unknown): AllocationKey {
  return parse(AllocationKeySchema, json, "AllocationKey");
}

/** Non-throwing {@link parseAllocationKey}. */
export function safeParseAllocationKey(json: unknown): ParseResult<AllocationKey> {
  return safeParse(AllocationKeySchema, json, "AllocationKey");
}
