/**
 * GET /metrics (issue 14): the worker's metrics for Prometheus, in its text format or, when the Accept header prefers
 * it, OpenMetrics. Behind the same listeners, TLS and authentication as every other path; absent (404) when
 * metrics.enabled=false.
 */
import type { MetricsScrape } from '../runtime/herder.ts'
import type { Router } from './router.ts'

const OPENMETRICS = 'application/openmetrics-text'
const PRODUCES = ['text/plain', 'text/*', OPENMETRICS]

export function addMetricsRoutes (router: Router, metrics: MetricsScrape | null): void {
  if (metrics === null) return
  router.add('GET', '/metrics', async req => {
    const { contentType, body } = await metrics.scrape(prefersOpenMetrics(req.headers.accept))
    return { status: 200, text: body, headers: { 'Content-Type': contentType } }
  }, { produces: PRODUCES })
}

/**
 * Whether the Accept header asks for OpenMetrics at least as much as for anything else it names (Prometheus sends
 * `application/openmetrics-text;version=1.0.0;q=0.5,…,text/plain;version=0.0.4;q=0.3,*\/*;q=0.1` and similar).
 */
export function prefersOpenMetrics (accept: string | undefined): boolean {
  if (accept === undefined) return false
  let open = 0
  let other = 0
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().split(';').map(s => s.trim().toLowerCase())
    const qParam = params.find(p => p.startsWith('q='))
    const q = qParam === undefined ? 1 : Number(qParam.slice(2))
    if (!(q > 0)) continue
    if (type === OPENMETRICS) open = Math.max(open, q)
    else other = Math.max(other, q)
  }
  return open > 0 && open >= other
}
