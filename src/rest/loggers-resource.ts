/**
 * /admin/loggers: Apache's LoggingResource. Levels are log4j2's names; our loggers answer to Apache's logger names
 * (org.apache.kafka.connect.runtime.WorkerSinkTask, …), so the usual namespaces work.
 */
import { NotFoundError } from '../api/index.ts'
import { BadRequestError } from './errors.ts'
import { allLoggerLevels, createLogger, LOG4J_LEVELS, loggerLevel, setLoggerLevel, type Log4jLevel } from '../util/logger.ts'
import { loggerLevelSchema } from './request-schemas.ts'
import type { Router } from './router.ts'

const log = createLogger('LoggingResource')

export function addLoggersRoutes (router: Router): void {
  router.add('GET', '/admin/loggers', () => ({ status: 200, body: Object.fromEntries(allLoggerLevels()) }))

  router.add('GET', '/admin/loggers/{logger}', req => {
    const name = req.params.logger!
    const level = loggerLevel(name)
    if (!level) throw new NotFoundError(`Logger ${name} not found.`)
    return { status: 200, body: level }
  })

  router.add('PUT', '/admin/loggers/{logger}', req => {
    const name = req.params.logger!
    const body = req.body as Record<string, string | null>
    const levelText = body.level
    if (levelText === undefined || levelText === null) throw new BadRequestError("Desired 'level' parameter was not specified in request.")
    const level = levelText.trim().toUpperCase()
    if (!(LOG4J_LEVELS as readonly string[]).includes(level)) throw new NotFoundError(`invalid log level '${levelText}'.`)
    let scope = req.query.get('scope') ?? 'worker'
    if (scope.toLowerCase() !== 'worker' && scope.toLowerCase() !== 'cluster') {
      log.warn(`Received invalid scope '${scope}' in request to adjust logging level; will use default of 'worker'`)
      scope = 'worker'
    }
    const changed = setLoggerLevel(name, level as Log4jLevel)
    // Standalone has one worker: "cluster" is applied here, answered as Apache answers it.
    if (scope.toLowerCase() === 'cluster') return { status: 204 }
    return { status: 200, body: changed }
  }, { body: loggerLevelSchema })
}
