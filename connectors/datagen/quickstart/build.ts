/**
 * Shorthands for writing the quickstart schemas as JavaScript objects: they are plain Avro schemas with
 * `arg.properties`, the same a user could pass in `schema.string`.
 */
export type SchemaJson = Readonly<Record<string, unknown>>

export function record (namespace: string, name: string, fields: readonly SchemaJson[], extra: SchemaJson = {}): SchemaJson {
  return { type: 'record', namespace, name, ...extra, fields }
}

/** A field whose type carries generator annotations; `extra` holds other attributes of the field, `typeExtra` of its type. */
export function field (name: string, type: string, args: SchemaJson, extra: SchemaJson = {}, typeExtra: SchemaJson = {}): SchemaJson {
  return { name, ...extra, type: { type, ...typeExtra, 'arg.properties': args } }
}

export const matching = (name: string, regex: string, extra?: SchemaJson): SchemaJson => field(name, 'string', { regex }, extra)
export const oneOf = (name: string, type: string, options: readonly unknown[], extra?: SchemaJson): SchemaJson => field(name, type, { options }, extra)
export const between = (name: string, type: string, min: number, max: number, extra?: SchemaJson): SchemaJson =>
  field(name, type, { range: { min, max } }, extra)
export const counting = (name: string, type: string, start: number, step?: number): SchemaJson =>
  field(name, type, { iteration: step === undefined ? { start } : { start, step } })
