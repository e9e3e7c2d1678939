export interface JavaConsumedRecord {
  partition: number
  offset: number
  key: Buffer | null
  value: Buffer | null
  headers: Array<{ key: string, value: Buffer | null }>
}
export function javaConsume (bootstrap: string, topic: string, count: number, timeoutMs?: number): Promise<JavaConsumedRecord[]>
