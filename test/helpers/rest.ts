/**
 * Helpers for REST tests: a real `connect-standalone` process on a free port (127.0.0.1:0) against the test broker,
 * and a small JSON client.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { spawnCli, type CliProcess } from './cli.ts'
import { removeDir } from './remove-dir.ts'

export interface HttpResult { status: number, headers: Headers, body: unknown, text: string }

export async function http (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  const init: RequestInit = { method, headers: { ...headers } }
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
    ;(init.headers as Record<string, string>)['Content-Type'] ??= 'application/json'
  }
  const res = await fetch(base + path, init)
  const text = await res.text()
  let parsed: unknown
  try { parsed = text === '' ? undefined : JSON.parse(text) } catch { parsed = text }
  return { status: res.status, headers: res.headers, body: parsed, text }
}

export function bootstrapServers (): string {
  const b = process.env.KAFKA_BOOTSTRAP_SERVERS
  if (!b) throw new Error('KAFKA_BOOTSTRAP_SERVERS is not set: run through `npm test -- test/rest`')
  return b
}

export interface Worker {
  dir: string
  base: string
  cli: CliProcess
  workerFile: string
  stop (): Promise<void>
}

/** Writes a worker file in a temp dir (or `dir`) and starts the CLI; resolves once it reports started. */
export async function startWorker (t: TestContext, options: { dir?: string, extraWorker?: string[], connectorFiles?: string[], keepDir?: boolean, options?: string[] } = {}): Promise<Worker> {
  const dir = options.dir ?? await mkdtemp(join(tmpdir(), 'rest-'))
  if (!options.dir && !options.keepDir) t.after(async () => { await removeDir(dir) })
  const workerFile = join(dir, 'worker.properties')
  await writeFile(workerFile, [
    `bootstrap.servers=${bootstrapServers()}`,
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
    'offset.flush.interval.ms=500',
    'listeners=http://127.0.0.1:0',
    ...(options.extraWorker ?? [])
  ].join('\n') + '\n')
  const cli = spawnCli([...(options.options ?? []), workerFile, ...(options.connectorFiles ?? [])])
  const stop = async (): Promise<void> => {
    cli.kill('SIGTERM')
    const timer = setTimeout(() => cli.kill('SIGKILL'), 20000)
    await cli.exited
    clearTimeout(timer)
  }
  t.after(stop)
  // REST_TEST_LOG_DIR=/tmp/x keeps each worker's output, for diagnosing a failure.
  const logDir = process.env.REST_TEST_LOG_DIR
  if (logDir) t.after(async () => { await writeFile(join(logDir, `${t.name.replace(/\W+/g, '_').slice(0, 60)}-${Date.now()}.log`), cli.stderr) })
  await cli.waitForOutput(/Kafka Connect started/, 60000)
  const m = /REST server listening at (http:\/\/[^/\s]+)\//.exec(cli.stderr)
  if (!m) throw new Error(`no REST address in the output:\n${cli.stderr}`)
  return { dir, base: m[1]!, cli, workerFile, stop }
}
