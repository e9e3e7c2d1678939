// Resource usage of a process and its descendants, read from /proc (Linux only).
//
//   const sampler = startSampler(pid)       samples the tree's VmRSS every 100 ms
//   ... usage(pid) -> { rssBytes, hwmBytes, cpuSeconds } ...
//   sampler.stop() -> { peakTreeRssBytes }
import { readdirSync, readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'

let ticksPerSecond = 100
try { ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100 } catch {}

function readStatus (pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = name => {
      const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)
      return m ? Number(m[1]) * 1024 : 0
    }
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
  } catch {
    return null
  }
}

/** { ppid, cpuSeconds } from /proc/<pid>/stat (utime + stime), or null when the process is gone. */
function readStat (pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ')
    // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { ppid: Number(rest[1]), cpuSeconds: (Number(rest[11]) + Number(rest[12])) / ticksPerSecond }
  } catch {
    return null
  }
}

/** pid and all its live descendants. */
export function processTree (pid) {
  const children = new Map()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = readStat(entry)
    if (!stat) continue
    const list = children.get(stat.ppid) ?? []
    list.push(Number(entry))
    children.set(stat.ppid, list)
  }
  const out = []
  const queue = [pid]
  while (queue.length > 0) {
    const p = queue.shift()
    out.push(p)
    queue.push(...(children.get(p) ?? []))
  }
  return out
}

/**
 * Current usage of the tree rooted at `pid`: summed VmRSS, the root's VmHWM (its own peak RSS since it started), and
 * CPU seconds (user + system) of every live process of the tree.
 */
export function usage (pid) {
  let rssBytes = 0
  let cpuSeconds = 0
  let hwmBytes = 0
  for (const p of processTree(pid)) {
    const status = readStatus(p)
    const stat = readStat(p)
    if (status) rssBytes += status.rss
    if (stat) cpuSeconds += stat.cpuSeconds
    if (p === pid && status) hwmBytes = status.hwm
  }
  return { rssBytes, hwmBytes, cpuSeconds }
}

/** Samples the tree's summed RSS until stopped; the peak catches children the root's VmHWM does not cover. */
export function startSampler (pid, intervalMs = 100) {
  let peak = 0
  const sample = () => { peak = Math.max(peak, usage(pid).rssBytes) }
  sample()
  const timer = setInterval(sample, intervalMs)
  timer.unref()
  return {
    get peakTreeRssBytes () { return peak },
    stop () {
      clearInterval(timer)
      return { peakTreeRssBytes: peak }
    }
  }
}

/**
 * Follows a runner's process (bench/lib/runners.mjs) whose pid may appear only after a while (Apache's JVM is found
 * among our children once spawned): samples its tree's RSS from the moment the pid is known. `peakRssMb()` is the
 * root's VmHWM or the sampled tree's peak, whichever is larger; `usage()` its usage now.
 */
export function followProcess (proc, intervalMs = 250) {
  let sampler = null
  const ensure = () => { if (!sampler && proc.pid) sampler = startSampler(proc.pid, intervalMs) }
  ensure()
  const timer = setInterval(ensure, 20)
  return {
    usage () {
      ensure()
      return usage(proc.pid)
    },
    peakRssMb (u = this.usage()) { return Math.max(u.hwmBytes, sampler?.peakTreeRssBytes ?? 0) / 2 ** 20 },
    stop () {
      clearInterval(timer)
      sampler?.stop()
    }
  }
}
