import { readFileSync } from 'node:fs'

/** This package's version, read once (dist/src/util → ../../../package.json, src/util → ../../package.json). */
function readVersion (): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string, version?: string }
      if (pkg.name === 'connect-standalone' && pkg.version) return pkg.version
    } catch {}
  }
  return '0.0.0'
}

export const VERSION = readVersion()
