/**
 * Spawns the real CLI (bin/connect-standalone.js through the TypeScript sources) and records its output.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { waitFor } from './wait-for.ts'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const ENTRY = fileURLToPath(new URL('./run-cli.ts', import.meta.url))
// Resolved here, not by name: the CLI may run in a directory with no node_modules.
const TSX = import.meta.resolve('tsx')

export interface CliProcess {
  readonly child: ChildProcess
  stdout: string
  stderr: string
  readonly exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  waitForOutput (re: RegExp, timeoutMs?: number): Promise<void>
  kill (signal?: NodeJS.Signals): void
}

export function spawnCli (args: string[], options: { cwd?: string, env?: Record<string, string> } = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', TSX, ENTRY, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  const proc: CliProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise(resolve => child.on('exit', (code, signal) => resolve({ code, signal }))),
    async waitForOutput (re, timeoutMs = 60000) {
      await waitFor(() => re.test(proc.stdout + proc.stderr), { timeoutMs, what: `output ${re}; got:\n${(proc.stdout + proc.stderr).slice(-3000)}` })
    },
    kill (signal = 'SIGTERM') { if (child.exitCode === null && child.signalCode === null) child.kill(signal) }
  }
  child.stdout!.on('data', (d: Buffer) => { proc.stdout += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { proc.stderr += d.toString() })
  return proc
}

/** Runs the CLI to completion. */
export async function runCli (args: string[], options: { cwd?: string, env?: Record<string, string>, timeoutMs?: number, input?: string } = {}): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const proc = spawnCli(args, options)
  proc.child.stdin!.end(options.input ?? '')
  const timer = setTimeout(() => proc.kill('SIGKILL'), options.timeoutMs ?? 60000)
  const { code } = await proc.exited
  clearTimeout(timer)
  return { code, stdout: proc.stdout, stderr: proc.stderr }
}
