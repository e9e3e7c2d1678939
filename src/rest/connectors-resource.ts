/**
 * /connectors: Apache's ConnectorsResource for standalone mode (paths, query parameters, statuses, Location headers
 * and bodies as Apache 4.3 answers them; see the README for where we deliberately differ).
 */
import { ConnectError, NotFoundError } from '../api/index.ts'
import { BadRequestError } from './errors.ts'
import type { TargetState } from '../runtime/herder.ts'
import { configFromBody, queryBoolean, type HerderRef } from './herder-ref.ts'
import { connectorConfigSchema, createConnectorSchema, offsetsSchema } from './request-schemas.ts'
import type { RestRequest, RestResponse, Router } from './router.ts'

interface CreateConnectorBody {
  name?: string | null
  config: Record<string, string | number | boolean | null>
  initial_state?: string | null
}

const INITIAL_STATES: Readonly<Record<string, TargetState>> = { RUNNING: 'STARTED', PAUSED: 'PAUSED', STOPPED: 'STOPPED' }

function location (req: RestRequest, name: string): string {
  // JAX-RS resolves Apache's relative "/connectors/<name>" against the base URI the client used.
  const host = req.headers.host ?? 'localhost'
  return `${req.scheme}://${host}/connectors/${encodeURIComponent(name)}`
}

function checkName (config: Record<string, string>, name: string): void {
  const configured = config.name
  if (configured !== undefined && configured !== name) {
    throw new BadRequestError(`Connector name configuration (${configured}) doesn't match connector name in the URL (${name})`)
  }
  config.name = name
}

function taskId (req: RestRequest): number {
  const id = Number(req.params.task)
  if (!Number.isInteger(id) || id < 0) throw new NotFoundError('HTTP 404 Not Found')
  return id
}

export function addConnectorsRoutes (router: Router, ref: HerderRef): void {
  router.add('GET', '/connectors', req => {
    const herder = ref.herder
    const names = herder.connectors()
    const expand = req.query.getAll('expand')
    if (!req.query.has('expand')) return { status: 200, body: names }
    const out: Record<string, Record<string, unknown>> = {}
    for (const name of names) {
      try {
        const entry: Record<string, unknown> = {}
        for (const e of expand) {
          if (e === 'status') entry.status = herder.status(name)
          else if (e === 'info') entry.info = herder.connectorInfo(name)
        }
        out[name] = entry
      } catch (err) {
        // A connector deleted meanwhile, or without a status yet, is left out (as Apache does).
        if (!(err instanceof NotFoundError)) throw err
      }
    }
    return { status: 200, body: out }
  })

  router.add('POST', '/connectors', async req => {
    const body = req.body as CreateConnectorBody
    const name = (body.name ?? '').trim()
    const { config, nullKeys } = configFromBody(body.config)
    checkName(config, name)
    const initialState = INITIAL_STATES[(body.initial_state ?? 'RUNNING').toUpperCase()] ?? 'STARTED'
    const result = await ref.herder.upsertConnector(name, config, { allowReplace: false, initialState, nullKeys, signal: req.signal })
    return { status: 201, headers: { Location: location(req, name) }, body: result.info }
  }, { body: createConnectorSchema })

  router.add('GET', '/connectors/{name}', req => ({ status: 200, body: ref.herder.connectorInfo(req.params.name!) }))

  router.add('GET', '/connectors/{name}/config', req => ({ status: 200, body: ref.herder.connectorConfig(req.params.name!) }))

  router.add('PUT', '/connectors/{name}/config', async req => {
    const name = req.params.name!
    const { config, nullKeys } = configFromBody(req.body as Record<string, unknown>)
    checkName(config, name)
    const result = await ref.herder.upsertConnector(name, config, { allowReplace: true, nullKeys, signal: req.signal })
    return result.created
      ? { status: 201, headers: { Location: location(req, name) }, body: result.info }
      : { status: 200, body: result.info }
  }, { body: connectorConfigSchema })

  router.add('PATCH', '/connectors/{name}/config', async req => {
    const patch: Record<string, string | null> = {}
    for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) patch[k] = v === null ? null : String(v)
    return { status: 200, body: await ref.herder.patchConnectorConfig(req.params.name!, patch, req.signal) }
  }, { body: connectorConfigSchema })

  router.add('GET', '/connectors/{name}/status', req => ({ status: 200, body: ref.herder.status(req.params.name!) }))

  router.add('POST', '/connectors/{name}/restart', async (req): Promise<RestResponse> => {
    const includeTasks = queryBoolean(req.query, 'includeTasks', false)
    const onlyFailed = queryBoolean(req.query, 'onlyFailed', false)
    const name = req.params.name!
    if (!includeTasks && !onlyFailed) {
      await ref.herder.restartConnector(name, req.signal)
      return { status: 204 }
    }
    return { status: 202, body: await ref.herder.restartConnectorAndTasks(name, { includeTasks, onlyFailed }, req.signal) }
  })

  router.add('PUT', '/connectors/{name}/pause', async req => {
    await ref.herder.pauseConnector(req.params.name!, req.signal)
    return { status: 202 }
  })

  router.add('PUT', '/connectors/{name}/resume', async req => {
    await ref.herder.resumeConnector(req.params.name!, req.signal)
    return { status: 202 }
  })

  router.add('PUT', '/connectors/{name}/stop', async req => {
    await ref.herder.stopConnector(req.params.name!, req.signal)
    return { status: 204 }
  })

  router.add('DELETE', '/connectors/{name}', async req => {
    await ref.herder.deleteConnector(req.params.name!, req.signal)
    return { status: 204 }
  })

  router.add('GET', '/connectors/{name}/tasks', req => ({ status: 200, body: ref.herder.taskConfigs(req.params.name!) }))

  // Internal endpoints of distributed mode; Apache's standalone herder refuses them (500).
  router.add('POST', '/connectors/{name}/tasks', () => {
    throw new ConnectError('Kafka Connect in standalone mode does not support externally setting task configurations.')
  })
  router.add('PUT', '/connectors/{name}/fence', () => {
    throw new ConnectError('Kafka Connect in standalone mode does not support exactly-once source connectors.')
  })

  router.add('GET', '/connectors/{name}/tasks/{task:int}/status', req => ({ status: 200, body: ref.herder.taskStatus(req.params.name!, taskId(req)) }))

  router.add('POST', '/connectors/{name}/tasks/{task:int}/restart', async req => {
    await ref.herder.restartTask(req.params.name!, taskId(req), req.signal)
    return { status: 204 }
  })

  router.add('GET', '/connectors/{name}/topics', req => {
    const name = req.params.name!
    return { status: 200, body: { [name]: { topics: ref.herder.topics(name) } } }
  })

  router.add('PUT', '/connectors/{name}/topics/reset', req => {
    ref.herder.resetTopics(req.params.name!)
    return { status: 202 }
  })

  router.add('GET', '/connectors/{name}/offsets', async req => ({
    status: 200, body: { offsets: await ref.herder.connectorOffsets(req.params.name!, req.signal) }
  }))

  router.add('PATCH', '/connectors/{name}/offsets', async req => {
    const body = req.body as { offsets?: Array<{ partition?: Record<string, unknown> | null, offset?: Record<string, unknown> | null }> | null }
    if (!body.offsets || body.offsets.length === 0) {
      throw new BadRequestError('Partitions / offsets need to be provided for an alter offsets request')
    }
    const offsets = body.offsets.map(o => ({ partition: o.partition ?? (null as unknown as Record<string, unknown>), offset: o.offset ?? null }))
    return { status: 200, body: { message: await ref.herder.modifyOffsets(req.params.name!, offsets, req.signal) } }
  }, { body: offsetsSchema })

  router.add('DELETE', '/connectors/{name}/offsets', async req => ({
    status: 200, body: { message: await ref.herder.modifyOffsets(req.params.name!, undefined, req.signal) }
  }))
}
