import { z } from "zod";
import { BaseRecordSchema, GormModelSchema } from "./base.js";
import { goInt } from "./go.js";
import type { ParseResult } from "./validate.js";
import { parsers } from "./validate.js";

// Seed-era service records (upstream `types/machine.go` of the gorm era): no JSON tags, Go names.

/**
 * What a service needs (upstream `ServiceResourceRequirements`: `BaseDBModel`, then `CPU`, `RAM`,
 * `VCPU`, `HDD` as Go `int`s). `Services.ResourceRequirements` holds the ID of such a record.
 */
export const ServiceResourceRequirementsSchema = BaseRecordSchema.extend({
  CPU: goInt,
  RAM: goInt,
  VCPU: goInt,
  HDD: goInt,
});
/** See {@link ServiceResourceRequirementsSchema}. */
export type ServiceResourceRequirements = z.output<typeof ServiceResourceRequirementsSchema>;

/** A pulled container image (upstream `ContainerImages`: `gorm.Model`, so a numeric `ID`). */
export const ContainerImagesSchema = GormModelSchema.extend({
  ImageID: z.string(),
  ImageName: z.string(),
  Digest: z.string(),
});
/** See {@link ContainerImagesSchema}. */
export type ContainerImages = z.output<typeof ContainerImagesSchema>;

const srr = parsers(ServiceResourceRequirementsSchema, "ServiceResourceRequirements");
const ci = parsers(ContainerImagesSchema, "ContainerImages");

/** Parses a {@link ServiceResourceRequirements}. @throws TypesError `ERR_TYPES_INVALID` with `field` set. */
export const parseServiceResourceRequirements: (json: unknown) => ServiceResourceRequirements = srr.parse;
/** Non-throwing {@link parseServiceResourceRequirements}. */
export const safeParseServiceResourceRequirements: (
  json: unknown,
) => ParseResult<ServiceResourceRequirements> = srr.safeParse;
/** Parses a {@link ContainerImages}. @throws TypesError `ERR_TYPES_INVALID` with `field` set. */
export const parseContainerImages: (json: unknown) => ContainerImages = ci.parse;
/** Non-throwing {@link parseContainerImages}. */
export const safeParseContainerImages: (json: unknown) => ParseResult<ContainerImages> = ci.safeParse;
