/** Whether `program` runs; skips visibly where missing, throws under DMS_REQUIRE_TOOLS=1. */
export function haveTool(program: string, needFor: string, probe?: string[]): boolean;
