/**
 * Confluent's `mock://<scope>` pseudo-URL: an in-process registry per scope, shared by every converter of the
 * process that names the same scope, as Confluent's MockSchemaRegistry is. It lets a pipeline on the embedded broker
 * use AvroConverter with no other system (a Datagen source into a file sink, a demo); its schemas live as long as the
 * process. It checks no compatibility and is no substitute for a registry where data outlives the process.
 */
import { SchemaRegistryError, type RegisteredSchema, type SchemaRegistryApi, type SubjectVersion } from './schema-registry-client.ts'

export const MOCK_URL_PREFIX = 'mock://'

interface Scope {
  /** Schema identity (type, text, references) to id: the same schema under two subjects keeps one id. */
  ids: Map<string, number>
  byId: Map<number, RegisteredSchema>
  subjects: Map<string, number[]>
}

const scopes = new Map<string, Scope>()

const identity = (s: RegisteredSchema): string => JSON.stringify([s.schemaType ?? 'AVRO', s.schema, s.references ?? []])

export class MockSchemaRegistry implements SchemaRegistryApi {
  readonly #scope: Scope
  readonly urls: string[]
  requests = 0

  constructor (url: string) {
    const name = url.slice(MOCK_URL_PREFIX.length)
    let scope = scopes.get(name)
    if (scope === undefined) {
      scope = { ids: new Map(), byId: new Map(), subjects: new Map() }
      scopes.set(name, scope)
    }
    this.#scope = scope
    this.urls = [url]
  }

  async register (subject: string, schema: RegisteredSchema): Promise<number> {
    this.requests++
    const key = identity(schema)
    let id = this.#scope.ids.get(key)
    if (id === undefined) {
      id = this.#scope.byId.size + 1
      this.#scope.ids.set(key, id)
      this.#scope.byId.set(id, schema)
    }
    const versions = this.#scope.subjects.get(subject) ?? []
    if (!versions.includes(id)) versions.push(id)
    this.#scope.subjects.set(subject, versions)
    return id
  }

  async lookup (subject: string, schema: RegisteredSchema): Promise<SubjectVersion | null> {
    this.requests++
    const id = this.#scope.ids.get(identity(schema))
    const versions = this.#scope.subjects.get(subject) ?? []
    if (id === undefined || !versions.includes(id)) return null
    return { subject, id, version: versions.indexOf(id) + 1, ...schema }
  }

  async version (subject: string, version: number | 'latest'): Promise<SubjectVersion> {
    this.requests++
    const versions = this.#scope.subjects.get(subject) ?? []
    const index = version === 'latest' ? versions.length - 1 : version - 1
    const id = versions[index]
    if (id === undefined) throw new SchemaRegistryError(`Subject '${subject}' has no version ${version} in ${this.urls[0]}`, 404, 40402)
    return { subject, id, version: index + 1, ...this.#scope.byId.get(id)! }
  }

  async schemaById (id: number): Promise<RegisteredSchema> {
    this.requests++
    const schema = this.#scope.byId.get(id)
    if (schema === undefined) throw new SchemaRegistryError(`Schema ${id} not found in ${this.urls[0]}`, 404, 40403)
    return schema
  }

  async isCompatible (): Promise<boolean> {
    this.requests++
    return true
  }

  close (): void {}
}
