// The raw client ceiling: node-rdkafka moving the benchmark's records with no Connect logic at all.
//
//   node bench/ceiling.mjs produce <bootstrap> <topic> <input file>    one record per line of the file
//   node bench/ceiling.mjs consume <bootstrap> <topic> <output file>   appends each record's value as a line
//
// The producer uses the delivery guarantees of a Connect source (acks=all, idempotence, delivery reports) and
// librdkafka's defaults otherwise; the consumer reads the topic from the beginning in a fresh group, in batches of
// consume(5000) with a short fetch.queue.backoff.ms (the fastest reading found). When done, the process stays alive
// until SIGTERM, so the benchmark can read its RSS and CPU time as it does for the workers.
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs'
import { createRequire } from 'node:module'

const Kafka = createRequire(import.meta.url)('node-rdkafka')
const [mode, bootstrap, topic, file] = process.argv.slice(2)
if (!['produce', 'consume'].includes(mode) || !bootstrap || !topic || !file) {
  process.stderr.write('usage: node bench/ceiling.mjs produce|consume <bootstrap> <topic> <file>\n')
  process.exit(1)
}

const delay = ms => new Promise(resolve => setTimeout(resolve, ms))
let finished = false
process.on('SIGTERM', () => process.exit(finished ? 0 : 1))

function connect (client) {
  return new Promise((resolve, reject) => client.connect({ timeout: 30000 }, err => (err ? reject(err) : resolve())))
}

async function produce () {
  const data = readFileSync(file)
  const producer = new Kafka.Producer({ 'bootstrap.servers': bootstrap, 'client.id': 'bench-ceiling-producer', acks: 'all', 'enable.idempotence': true, dr_cb: true }, {})
  await connect(producer)
  producer.setPollInterval(5)
  let sent = 0
  let delivered = 0
  producer.on('delivery-report', err => {
    if (err) { process.stderr.write(`delivery failed: ${err.message}\n`); process.exit(2) }
    delivered++
  })
  let start = 0
  while (start < data.length) {
    let end = data.indexOf(0x0a, start)
    if (end === -1) end = data.length
    // A view of the file's bytes: librdkafka copies the payload when it queues the record.
    const value = data.subarray(start, end)
    for (;;) {
      try {
        producer.produce(topic, null, value, null, Date.now())
        break
      } catch (err) {
        if (err.code !== Kafka.CODES.ERRORS.ERR__QUEUE_FULL) throw err
        await delay(1)
      }
    }
    sent++
    start = end + 1
  }
  while (delivered < sent) await delay(5)
  process.stderr.write(`produced ${sent} records\n`)
}

async function consume () {
  const fd = openSync(file, 'a')
  const consumer = new Kafka.KafkaConsumer({
    'bootstrap.servers': bootstrap, 'group.id': `bench-ceiling-${process.pid}-${Date.now()}`, 'client.id': 'bench-ceiling-consumer',
    'enable.auto.commit': false,
    // librdkafka's default (1000 ms) idles the fetcher for a second whenever its queue is full, which caps a
    // consumer that drains the queue in bursts at about 110,000 records/s here.
    'fetch.queue.backoff.ms': 10
  }, { 'auto.offset.reset': 'earliest' })
  await connect(consumer)
  consumer.subscribe([topic])
  const newline = Buffer.from('\n')
  let parts = []
  const write = () => {
    if (parts.length === 0) return
    writeSync(fd, Buffer.concat(parts))
    parts = []
  }
  // Batches were the fastest way to read here (1,000,000 × 100 B, nothing else running): consume(5000) 339,000
  // records/s and 3.3 CPU s, consume(500) 312,000, flowing mode ('data' events from node-rdkafka's consume loop
  // thread) 225,000 and 5.6 CPU s.
  consumer.setDefaultConsumeTimeout(200)
  const loop = () => consumer.consume(5000, (err, messages) => {
    if (err && err.isFatal) { process.stderr.write(`consume failed: ${err.message}\n`); process.exit(2) }
    for (const m of messages ?? []) parts.push(m.value ?? Buffer.alloc(0), newline)
    if (parts.length > 0) { write(); finished = true }
    setImmediate(loop)
  })
  loop()
  // Runs until SIGTERM: the benchmark decides it is done by counting lines in the file.
  process.on('exit', () => { write(); closeSync(fd) })
}

if (mode === 'produce') {
  await produce()
  finished = true
  // Stay alive (doing nothing) until the benchmark has read our usage and sends SIGTERM.
  setInterval(() => {}, 1 << 30)
} else {
  await consume()
}
