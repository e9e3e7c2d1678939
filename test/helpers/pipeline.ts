/**
 * Helpers for end-to-end runs of the CLI on the real broker: worker and connector files in a temp dir, and readers
 * for the sink file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'

export interface PipelineFiles {
  dir: string
  worker: string
  source: string
  sink: string
  input: string
  output: string
  offsets: string
  topic: string
}

export async function pipelineFiles (t: TestContext, options: { bootstrap: string, topic: string, flushMs?: number, extraWorker?: string }): Promise<PipelineFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'e2e-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const files: PipelineFiles = {
    dir,
    worker: join(dir, 'worker.properties'),
    source: join(dir, 'source.properties'),
    sink: join(dir, 'sink.properties'),
    input: join(dir, 'input.txt'),
    output: join(dir, 'output.txt'),
    offsets: join(dir, 'connect.offsets'),
    topic: options.topic
  }
  await writeFile(files.worker, [
    `bootstrap.servers=${options.bootstrap}`,
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    'listeners=http://127.0.0.1:0',
    `offset.storage.file.filename=${files.offsets}`,
    `offset.flush.interval.ms=${options.flushMs ?? 1000}`,
    options.extraWorker ?? ''
  ].join('\n') + '\n')
  await writeFile(files.source, `name=${options.topic}-source\nconnector.class=FileStreamSource\nfile=${files.input}\ntopic=${options.topic}\n`)
  await writeFile(files.sink, `name=${options.topic}-sink\nconnector.class=FileStreamSink\nfile=${files.output}\ntopics=${options.topic}\n`)
  return files
}

/** Lines of a file (without terminators); a missing file has none. */
export async function readLines (path: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  if (text === '') return []
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** Input text for a line list with a mix of terminators; returns the text and the lines as the sink will write them. */
export function mixedInput (count: number, options: { longEvery?: number, longLength?: number } = {}): { text: string, lines: string[] } {
  const samples = ['plain ascii', 'héllo wörld', '日本語のテキスト', 'emoji 🚀🎉 done', 'tab\there', 'Ωμέγα ελληνικά', 'mixed é 日 🚀']
  const parts: string[] = []
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    let line = `${String(i).padStart(7, '0')} ${samples[i % samples.length]}`
    if (options.longEvery && i % options.longEvery === options.longEvery - 1) line += ' ' + 'x€'.repeat((options.longLength ?? 100000) / 2)
    lines.push(line)
    const terminator = i % 5 === 1 ? '\r\n' : i % 11 === 3 ? '\r' : '\n'
    parts.push(line, terminator)
  }
  return { text: parts.join(''), lines }
}
