// Starts one real Apache Kafka broker (KRaft, combined broker+controller, single node) on free 127.0.0.1 ports, in
// a fresh temporary directory, and stops it again. Used by run-tests.mjs and the benchmarks.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { resolveKafkaClasspath } from './resolve-kafka.mjs'

async function freePort () {
  return await new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

async function canConnect (port) {
  return await new Promise(resolve => {
    const sock = connect({ host: '127.0.0.1', port })
    sock.once('connect', () => { sock.destroy(); resolve(true) })
    sock.once('error', () => resolve(false))
  })
}

/** Kafka cluster ids are 16 random bytes in unpadded base64url. */
function clusterId () {
  return randomBytes(16).toString('base64url')
}

export async function startKafkaBroker (options = {}) {
  const classpath = resolveKafkaClasspath()
  const dir = mkdtempSync(join(tmpdir(), 'kafka-broker-'))
  const port = await freePort()
  const controllerPort = await freePort()
  const props = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${join(dir, 'data')}`,
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'num.partitions=1',
    'auto.create.topics.enable=true',
    ...(options.extraProps ?? [])
  ]
  const propsFile = join(dir, 'server.properties')
  writeFileSync(propsFile, props.join('\n') + '\n')
  const java = process.env.JAVA ?? 'java'
  execFileSync(java, ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', propsFile], { stdio: 'ignore' })
  const logFile = join(dir, 'broker.log')
  const log = openSync(logFile, 'a')
  const started = Date.now()
  const child = spawn(java, ['-Xms256m', '-Xmx768m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', classpath, 'kafka.Kafka', propsFile],
    { stdio: ['ignore', log, log], detached: false })
  const kill = () => { try { child.kill('SIGKILL') } catch {} }
  process.once('exit', kill)
  let exited = false
  child.once('exit', () => { exited = true })
  const deadline = Date.now() + (options.timeoutMs ?? 90000)
  while (!(await canConnect(port))) {
    if (exited || Date.now() > deadline) {
      kill()
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n')
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`Kafka broker did not start (${exited ? 'process exited' : 'timeout'}). Log tail:\n${tail}`)
    }
    await new Promise(resolve => setTimeout(resolve, 200))
  }
  const bootstrapServers = `127.0.0.1:${port}`
  process.stderr.write(`Kafka broker ${bootstrapServers} up in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})\n`)
  return {
    bootstrapServers,
    dir,
    logFile,
    async stop () {
      process.off('exit', kill)
      if (!exited) {
        child.kill('SIGTERM')
        const ok = await Promise.race([
          new Promise(resolve => child.once('exit', () => resolve(true))),
          new Promise(resolve => setTimeout(() => resolve(false), 15000))
        ])
        if (!ok) kill()
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
