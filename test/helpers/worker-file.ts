/**
 * The worker file most CLI tests start with: StringConverter for keys and values, REST on a free port (the CLI logs
 * which), the offsets file in the test's directory and a short flush interval. `extra` lines come last, so they win.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export function workerProperties (dir: string, bootstrap: string, extra: readonly string[] = []): string {
  return [
    `bootstrap.servers=${bootstrap}`,
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    'listeners=http://127.0.0.1:0',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
    'offset.flush.interval.ms=500',
    ...extra
  ].join('\n') + '\n'
}

/** Writes `dir`/worker.properties (see workerProperties) and returns its path. */
export async function writeWorkerFile (dir: string, bootstrap: string, extra: readonly string[] = []): Promise<string> {
  const file = join(dir, 'worker.properties')
  await writeFile(file, workerProperties(dir, bootstrap, extra))
  return file
}
