/**
 * End to end on the real broker: FileStreamSource → Kafka → FileStreamSink through the CLI, 100,000 lines with ASCII,
 * multi-byte UTF-8, CRLF and lone-CR terminators and very long lines, arriving identical and in order.
 */
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { test } from 'node:test'
import { createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli } from '../helpers/cli.ts'
import { mixedInput, pipelineFiles, readLines } from '../helpers/pipeline.ts'
import { waitFor } from '../helpers/wait-for.ts'

test('100,000 mixed lines go file → Kafka → file identical and in order', { timeout: 300000 }, async (t) => {
  const topic = uniqueTopic('pipeline')
  await createTopic(topic, 1)
  const files = await pipelineFiles(t, { bootstrap: kafkaBootstrap(), topic })
  const { text, lines } = mixedInput(100000, { longEvery: 20000, longLength: 300000 })
  await writeFile(files.input, text)

  const cli = spawnCli([files.worker, files.source, files.sink])
  t.after(() => cli.kill('SIGKILL'))
  await cli.waitForOutput(/Kafka Connect started/)
  const out = await waitFor(async () => { const l = await readLines(files.output); return l.length >= lines.length ? l : null },
    { timeoutMs: 180000, what: 'all lines in the sink file' })
  assert.equal(out.length, lines.length)
  for (let i = 0; i < lines.length; i++) {
    if (out[i] !== lines[i]) assert.fail(`line ${i} differs: ${JSON.stringify(out[i]?.slice(0, 80))} vs ${JSON.stringify(lines[i]?.slice(0, 80))}`)
  }
  cli.kill('SIGTERM')
  const exit = await cli.exited
  assert.equal(exit.code, 143, cli.stderr.slice(-2000))
})
