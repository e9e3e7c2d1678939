/**
 * `allowed.paths` of the file and directory providers (Apache's AllowedPaths, KIP-993): a comma-separated list of
 * absolute, existing paths; a variable's path is used only when, normalised, it lies inside one of them (path
 * components compared, so /etc/secrets2 is not inside /etc/secrets). Unset: every path is allowed.
 *
 * Beyond Apache's lexical check, symbolic links are resolved before comparing (KAFKA-20700), so a link inside an
 * allowed directory cannot lead outside it.
 */
import { existsSync, realpathSync } from 'node:fs'
import { isAbsolute, normalize, sep } from 'node:path'
import { ConfigError } from '../../api/index.ts'

export const ALLOWED_PATHS_CONFIG = 'allowed.paths'
export const ALLOWED_PATHS_DOC = 'A comma separated list of paths that this config provider is allowed to access. If not set, all paths are allowed.'

function inside (path: string, base: string): boolean {
  return path === base || path.startsWith(base.endsWith(sep) ? base : base + sep)
}

function real (path: string): string {
  try {
    return realpathSync(path)
  } catch {
    // A path that does not exist (yet) is judged lexically; reading it fails later anyway.
    return path
  }
}

export class AllowedPaths {
  readonly #allowed: Array<{ lexical: string, real: string }> | null

  constructor (configValue: string | undefined) {
    if (configValue === undefined || configValue === '') {
      this.#allowed = null
      return
    }
    this.#allowed = configValue.split(',').map(p => {
      const normalised = normalize(p.trim())
      if (!isAbsolute(normalised) || !existsSync(normalised)) {
        throw new ConfigError(`Path ${normalised} is not valid. The path should be absolute and exist`)
      }
      return { lexical: normalised, real: real(normalised) }
    })
  }

  /** The path to read, or null when it lies outside `allowed.paths`. */
  allowed (path: string): string | null {
    if (this.#allowed === null) return path
    const normalised = normalize(path)
    if (!isAbsolute(normalised)) return null
    const resolved = real(normalised)
    const ok = this.#allowed.some(a => inside(normalised, a.lexical) && (inside(resolved, a.real) || inside(resolved, a.lexical)))
    return ok ? normalised : null
  }
}
