/** Reads a procedure's own schemas, for the OpenAPI document and the console's argument parsing. */
import { z } from 'zod';
import { appRouter } from './router';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  [k: string]: unknown;
};

interface ProcedureDef {
  type: 'query' | 'mutation';
  inputs: z.ZodType[];
  output?: z.ZodType;
}

export function procedureDef(dotted: string): ProcedureDef {
  const proc = (appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef } | undefined>)[dotted];
  if (!proc) throw new Error(`Unknown procedure ${dotted}`);
  return proc._def;
}

export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

/** The JSON Schema of a procedure's input (an empty object schema when it takes none). */
export function inputJsonSchema(dotted: string): JsonSchema {
  const def = procedureDef(dotted);
  return def.inputs[0] ? jsonSchema(def.inputs[0], 'input') : { type: 'object', properties: {} };
}
