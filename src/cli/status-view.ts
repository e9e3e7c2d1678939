/**
 * The live status view (issue 14): when stderr is a terminal, one line per connector task under the scrolling log,
 * refreshed at most once a second from the worker's metrics (TaskSnapshot). It owns the bottom lines of the terminal:
 * every write to the guarded streams (stderr, and stdout when it is the terminal too) first erases the view, then the
 * view is drawn again below what was written, so log lines and the console sink's output are never mixed with it.
 */
import { Chalk, supportsColorStderr, type ChalkInstance } from 'chalk'
import type { TaskSnapshot, TaskSnapshotSource } from '../runtime/metrics/task-snapshot.ts'

/** The terminal the view draws on: a tty.WriteStream, or a fake in tests. */
export interface ViewStream {
  isTTY?: boolean
  columns?: number
  rows?: number
  write (chunk: string | Uint8Array, ...rest: any[]): boolean
  on? (event: 'resize', listener: () => void): unknown
  off? (event: 'resize', listener: () => void): unknown
}

export interface StatusViewOptions {
  /** The tasks to show, read once per refresh. */
  provider: () => TaskSnapshot[]
  /** Where the view is drawn (process.stderr); its writes are guarded too. */
  stream: ViewStream
  /** Other streams whose writes land on the same terminal (process.stdout when it is a TTY). */
  alsoGuard?: ViewStream[]
  /** Chalk's colour level: 0 for none. */
  colorLevel?: 0 | 1 | 2 | 3
  refreshMs?: number
  now?: () => number
}

const ESC = '\x1b['
const DEFAULT_COLUMNS = 80

/**
 * Whether to show the view at all: stderr is a terminal that can move its cursor, not in CI, not with --quiet and not
 * with JSON logs (whose readers want one object per line and nothing else).
 */
export function statusViewWanted (o: { stream: ViewStream, env: NodeJS.ProcessEnv, quiet: boolean, logFormat: string }): boolean {
  if (o.quiet || o.logFormat === 'json' || o.stream.isTTY !== true) return false
  const ci = o.env.CI
  if (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') return false
  return o.env.TERM !== 'dumb'
}

/** The colour level for the view: none with NO_COLOR (https://no-color.org), else what chalk detects for stderr. */
export function statusViewColorLevel (env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0
  return supportsColorStderr === false ? 0 : supportsColorStderr.level
}

/**
 * The CLI's view on process.stderr, started when wanted (see statusViewWanted), else null. stdout is guarded too when
 * it is a terminal, the same one as far as we can tell: the console sink's lines then scroll above the view as well.
 */
export function startTerminalStatusView (o: { quiet: boolean, logFormat: string, source: TaskSnapshotSource }): StatusView | null {
  if (!statusViewWanted({ stream: process.stderr, env: process.env, quiet: o.quiet, logFormat: o.logFormat })) return null
  const view = new StatusView({
    provider: () => o.source.snapshot(),
    stream: process.stderr,
    alsoGuard: process.stdout.isTTY ? [process.stdout] : [],
    colorLevel: statusViewColorLevel(process.env)
  })
  view.start()
  return view
}

interface Sample { at: number, recordsIn: number, recordsOut: number }
export interface Rates { in: number | null, out: number | null }

/** Records per second from successive totals; null before the second sample or after a counter went back (a restart). */
export class RateTracker {
  private readonly last = new Map<string, Sample>()

  update (tasks: readonly TaskSnapshot[], now: number): Map<string, Rates> {
    const out = new Map<string, Rates>()
    const seen = new Set<string>()
    for (const t of tasks) {
      const key = taskKey(t)
      seen.add(key)
      const prev = this.last.get(key)
      const dt = prev ? (now - prev.at) / 1000 : 0
      const rate = (cur: number, old: number | undefined): number | null =>
        old === undefined || dt <= 0 || cur < old ? null : (cur - old) / dt
      out.set(key, { in: rate(t.recordsIn, prev?.recordsIn), out: rate(t.recordsOut, prev?.recordsOut) })
      this.last.set(key, { at: now, recordsIn: t.recordsIn, recordsOut: t.recordsOut })
    }
    for (const key of this.last.keys()) if (!seen.has(key)) this.last.delete(key)
    return out
  }
}

function taskKey (t: TaskSnapshot): string { return `${t.connector}\u0000${t.task}` }

/** 950, 12.3k, 123k, 4.6M: short enough for a status line. */
export function compactNumber (n: number): string {
  const abs = Math.abs(n)
  for (const [unit, size] of [['G', 1e9], ['M', 1e6], ['k', 1e3]] as const) {
    if (abs >= size) {
      const v = n / size
      return `${Math.abs(v) < 100 ? (Math.floor(v * 10) / 10).toFixed(1).replace(/\.0$/, '') : Math.floor(v)}${unit}`
    }
  }
  return String(Math.floor(n))
}

function formatRate (r: number | null): string {
  if (r === null) return '-/s'
  if (r > 0 && r < 10) return `${(Math.round(r * 10) / 10).toFixed(1).replace(/\.0$/, '')}/s`
  return `${compactNumber(Math.round(r))}/s`
}

function formatAge (lastCommitAt: number | null, now: number): string {
  if (lastCommitAt === null) return 'never'
  const s = Math.max(0, Math.floor((now - lastCommitAt) / 1000))
  return s < 120 ? `${s}s ago` : s < 7200 ? `${Math.floor(s / 60)}m ago` : `${Math.floor(s / 3600)}h ago`
}

type Segment = [text: string, style?: (s: string) => string]

function stateStyle (c: ChalkInstance, state: string): (s: string) => string {
  switch (state) {
    case 'RUNNING': return c.green
    case 'PAUSED': case 'STOPPED': return c.yellow
    case 'FAILED': return c.red.bold
    default: return c.cyan
  }
}

/**
 * The columns a character takes: 2 for East Asian wide characters and emoji, 0 for combining marks and variation
 * selectors, else 1. A line wider than counted would wrap, and the view would then erase one line too few.
 */
function charWidth (cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)) return 2
  return 1
}

export function displayWidth (text: string): number {
  let w = 0
  for (const ch of text) w += charWidth(ch.codePointAt(0)!)
  return w
}

function padEnd (text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)))
}

/** Cuts a line to `width` columns (the last one an ellipsis when cut), styling each segment's part. */
function fit (segments: readonly Segment[], width: number): string {
  let left = Math.max(1, width)
  const cut = segments.reduce((n, [text]) => n + displayWidth(text), 0) > left
  if (cut) left -= 1
  let out = ''
  for (const [text, style] of segments) {
    if (left <= 0) break
    let part = ''
    for (const ch of text) {
      const w = charWidth(ch.codePointAt(0)!)
      if (w > left) { left = 0; break }
      part += ch
      left -= w
    }
    out += style && part !== '' ? style(part) : part
  }
  return cut ? `${out}…` : out
}

/** Control characters (a newline, an escape) in a name would move the cursor: shown as '?'. */
function printable (text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
}

/**
 * The view's lines: one per task, in the order state, records/s in and out, totals, sink lag, errors, time since
 * the last offset commit; each cut to `width` columns, at most `maxLines` lines (the last one then says how many more).
 */
export function renderStatusLines (tasks: readonly TaskSnapshot[], rates: ReadonlyMap<string, Rates>, o: { now: number, width: number, maxLines: number, chalk: ChalkInstance }): string[] {
  const c = o.chalk
  const sorted = [...tasks].sort((a, b) => a.connector < b.connector ? -1 : a.connector > b.connector ? 1 : a.task - b.task)
  const names = sorted.map(t => `${printable(t.connector)}[${t.task}]`)
  const nameWidth = Math.max(0, ...names.map(displayWidth))
  const rows = sorted.map((t, i) => ({
    t,
    name: names[i]!,
    rIn: formatRate(rates.get(taskKey(t))?.in ?? null),
    rOut: formatRate(rates.get(taskKey(t))?.out ?? null),
    totals: `${compactNumber(t.recordsIn)}/${compactNumber(t.recordsOut)}`
  }))
  const w = (key: 'rIn' | 'rOut' | 'totals'): number => Math.max(0, ...rows.map(r => r[key].length))
  const [inW, outW, totW] = [w('rIn'), w('rOut'), w('totals')]
  const label = (s: string): Segment => [s, c.dim]
  const lines = rows.map(({ t, name, rIn, rOut, totals }) => {
    const segs: Segment[] = [
      [padEnd(name, nameWidth), c.bold], [' '], [t.type.padEnd(6), c.dim], [' '],
      [printable(t.state).padEnd(10), stateStyle(c, t.state)],
      label(' in '), [rIn.padStart(inW), rIn.startsWith('-') || rIn === '0/s' ? c.dim : undefined],
      label('  out '), [rOut.padStart(outW), rOut.startsWith('-') || rOut === '0/s' ? c.dim : undefined],
      label('  total '), [totals.padEnd(totW)],
      label('  lag '), t.lag === null ? ['-', c.dim] : [compactNumber(t.lag), t.lag > 0 ? c.yellow : undefined],
      label('  errors '), [String(t.errors), t.errors > 0 ? c.red.bold : undefined],
      label('  commit '), [formatAge(t.lastCommitAt, o.now), c.dim]
    ]
    return fit(segs, o.width)
  })
  const max = Math.max(1, o.maxLines)
  if (lines.length <= max) return lines
  return [...lines.slice(0, max - 1), fit([[`… and ${lines.length - max + 1} more tasks`, c.dim]], o.width)]
}

type WriteFn = (chunk: string | Uint8Array, ...rest: any[]) => boolean

/** The view itself: start() draws and guards the streams, stop() erases it and gives the streams back. */
export class StatusView {
  private readonly o: StatusViewOptions
  private readonly chalk: ChalkInstance
  private readonly rates = new RateTracker()
  private readonly originals = new Map<ViewStream, WriteFn>()
  private rawWrite: WriteFn | null = null
  private lines: string[] = []
  /** Lines currently on the terminal (0: nothing drawn). */
  private drawn = 0
  /** Whether the cursor is at the start of a line: the view is drawn only there, never inside a half-written line. */
  private atLineStart = true
  private timer: NodeJS.Timeout | null = null
  private pendingRedraw: NodeJS.Immediate | null = null
  private running = false
  /** The last sample, drawn again at a new width without a new sample (whose rates would span a fraction of a second). */
  private last: { tasks: TaskSnapshot[], rates: Map<string, Rates>, now: number } | null = null
  private readonly onResize = (): void => { this.draw() }
  private readonly onExit = (): void => { this.erase(); this.restore() }

  constructor (options: StatusViewOptions) {
    this.o = options
    this.chalk = new Chalk({ level: options.colorLevel ?? 0 })
  }

  start (): void {
    if (this.running) return
    this.running = true
    const streams = [this.o.stream, ...(this.o.alsoGuard ?? []).filter(s => s !== this.o.stream)]
    for (const s of streams) {
      const original = s.write
      this.originals.set(s, original)
      s.write = (chunk: string | Uint8Array, ...rest: any[]): boolean => this.guarded(s, original, chunk, rest)
    }
    const drawOn = this.o.stream
    const drawWrite = this.originals.get(drawOn)!
    this.rawWrite = (chunk, ...rest) => drawWrite.call(drawOn, chunk, ...rest)
    this.o.stream.on?.('resize', this.onResize)
    // A hard exit (a second Ctrl-C) leaves no view behind: TTY writes are synchronous, so this one lands.
    process.on('exit', this.onExit)
    this.timer = setInterval(() => { this.refresh() }, this.o.refreshMs ?? 1000)
    this.timer.unref()
    this.refresh()
  }

  /**
   * Erases the view and gives the streams their own write back. Bounded: resolves once the terminal took the erase,
   * or after `timeoutMs` when it does not (a terminal stopped with Ctrl-S).
   */
  async stop (timeoutMs = 500): Promise<void> {
    if (!this.running) return
    this.running = false
    if (this.timer) clearInterval(this.timer)
    if (this.pendingRedraw) clearImmediate(this.pendingRedraw)
    this.timer = null
    this.pendingRedraw = null
    this.o.stream.off?.('resize', this.onResize)
    process.off('exit', this.onExit)
    const seq = this.eraseSequence()
    this.drawn = 0
    const raw = this.rawWrite!
    this.restore()
    if (seq === '') return
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      new Promise<void>(resolve => { raw(seq, () => { resolve() }) }),
      new Promise<void>(resolve => { timer = setTimeout(resolve, timeoutMs) })
    ])
    clearTimeout(timer)
  }

  /** Reads the provider and draws the new lines (in one write, so the terminal never shows a half-drawn view). */
  refresh (): void {
    if (!this.running) return
    let tasks: TaskSnapshot[]
    try {
      tasks = this.o.provider()
    } catch {
      return // the metrics are being torn down: keep the last lines
    }
    const now = (this.o.now ?? Date.now)()
    this.last = { tasks, rates: this.rates.update(tasks, now), now }
    this.draw()
  }

  private draw (): void {
    if (!this.running || this.last === null) return
    const { tasks, rates, now } = this.last
    const width = (this.o.stream.columns ?? DEFAULT_COLUMNS) - 1 // never the last column: no autowrap to count
    const maxLines = this.o.stream.rows !== undefined ? Math.max(1, this.o.stream.rows - 2) : 20
    this.lines = renderStatusLines(tasks, rates, { now, width, maxLines, chalk: this.chalk })
    if (!this.atLineStart) return
    const seq = this.eraseSequence()
    this.drawn = 0
    const out = seq + this.drawSequence()
    if (out !== '') this.rawWrite!(out)
  }

  private guarded (s: ViewStream, original: WriteFn, chunk: string | Uint8Array, rest: any[]): boolean {
    if (!this.running || chunk.length === 0) return original.call(s, chunk, ...rest)
    if (this.drawn > 0) {
      this.rawWrite!(this.eraseSequence())
      this.drawn = 0
    }
    const result = original.call(s, chunk, ...rest)
    const last = typeof chunk === 'string' ? chunk.charCodeAt(chunk.length - 1) : chunk[chunk.length - 1]
    this.atLineStart = last === 10
    // Once per turn of the event loop, however many lines were written in it.
    if (this.atLineStart && this.pendingRedraw === null) {
      this.pendingRedraw = setImmediate(() => { this.pendingRedraw = null; this.redraw() })
      this.pendingRedraw.unref()
    }
    return result
  }

  private redraw (): void {
    if (!this.running || this.drawn > 0 || !this.atLineStart || this.lines.length === 0) return
    this.rawWrite!(this.drawSequence())
  }

  private drawSequence (): string {
    this.drawn = this.lines.length
    return this.lines.join('\n')
  }

  /** From the end of the view's last line: back to the start of its first line, and clear to the end of the screen. */
  private eraseSequence (): string {
    if (this.drawn === 0) return ''
    return `\r${this.drawn > 1 ? `${ESC}${this.drawn - 1}A` : ''}${ESC}J`
  }

  private erase (): void {
    const seq = this.eraseSequence()
    this.drawn = 0
    if (seq !== '' && this.rawWrite) this.rawWrite(seq)
  }

  private restore (): void {
    for (const [s, original] of this.originals) s.write = original
    this.originals.clear()
  }
}
