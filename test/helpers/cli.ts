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

/** CLIs still running, with the paths they were given: a test's directory is removed only after its CLIs stopped. */
const running = new Map<CliProcess, readonly string[]>()

/**
 * SIGKILLs the CLIs given a path inside `dir` (or run in it) and waits for them to exit (5 s at most). A test's
 * after-hooks run in the order they were added, so a directory's removal usually comes before the kill of the CLI
 * writing into it; the CLI writes its offsets file every 50 ms, and rm then failed with ENOTEMPTY.
 */
export async function stopClisUsing (dir: string): Promise<void> {
  const inside = (p: string): boolean => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`)
  const mine = [...running].filter(([, paths]) => paths.some(inside)).map(([proc]) => proc)
  for (const proc of mine) proc.kill('SIGKILL')
  await Promise.race([
    Promise.all(mine.map(async proc => await proc.exited)),
    new Promise(resolve => setTimeout(resolve, 5000).unref())
  ])
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
      // A getter: the output shown is the output at the timeout, not the (usually empty) output when the wait began.
      await waitFor(() => re.test(proc.stdout + proc.stderr), { timeoutMs, get what () { return `output ${re}; got:\n${(proc.stdout + proc.stderr).slice(-3000)}` } })
    },
    kill (signal = 'SIGTERM') { if (child.exitCode === null && child.signalCode === null) child.kill(signal) }
  }
  running.set(proc, [...args, options.cwd ?? ROOT])
  void proc.exited.then(() => running.delete(proc))
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
