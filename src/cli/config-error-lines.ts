/**
 * Config errors said with where the key is: each problem that names a key defined in the file gets "file:line", so a
 * user goes straight to the line (worker files, connector files, the dry run).
 */
import { ConfigError } from '../api/index.ts'

/** Adds "file:line" to each problem that names a key defined in the file. */
export function withLines (err: ConfigError, file: string, lines: ReadonlyMap<string, number>): ConfigError {
  const keyOf = (problem: string): string | undefined => {
    const m = /configuration "?([^"\s:]+)"?/.exec(problem) ?? /^([^\s:]+):/.exec(problem)
    return m?.[1]
  }
  const problems = err.problems.map(p => {
    const key = keyOf(p)
    const line = key ? lines.get(key) : undefined
    return line !== undefined ? `${file}:${line}: ${p}` : `${file}: ${p}`
  })
  const message = problems.length === 1 ? problems[0]! : `${problems.length} configuration problems:\n  - ${problems.join('\n  - ')}`
  return new ConfigError(message, { problems, cause: err })
}
