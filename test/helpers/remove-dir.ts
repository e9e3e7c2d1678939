/**
 * Removes a test's temporary directory: first the CLIs still writing into it (see stopClisUsing), then the directory,
 * retrying briefly where a process that is not ours still holds it.
 */
import { rm } from 'node:fs/promises'
import { stopClisUsing } from './cli.ts'

export async function removeDir (dir: string): Promise<void> {
  await stopClisUsing(dir)
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
}
