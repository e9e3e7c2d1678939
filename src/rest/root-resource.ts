/** `GET /` (server info) and `GET /health` (Apache's RootResource). */
import { VERSION } from '../util/version.ts'
import type { ServerInfo } from './entities.ts'
import type { HerderRef } from './herder-ref.ts'
import type { Router } from './router.ts'

export function addRootRoutes (router: Router, ref: HerderRef, clusterId: () => string | null): void {
  router.add('GET', '/', () => {
    const info: ServerInfo = { version: VERSION, commit: 'unknown', kafka_cluster_id: clusterId() }
    return { status: 200, body: info }
  })

  router.add('GET', '/health', async () => {
    const herder = ref.attached
    if (!herder) return { status: 503, body: { status: 'starting', message: 'Worker is still starting up.' } }
    return await herder.health()
  })
}
