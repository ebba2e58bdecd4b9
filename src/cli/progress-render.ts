/**
 * How each output mode shows a progress stage: rewritten in place on a terminal, a few plain lines in
 * a log, JSON events for scripts, nothing with --quiet. A renderer decides its own throttling; the
 * reporter (progress.ts) tells it when a stage starts, moves and ends.
 */
import { type StageFigures, formatDone, formatEta, formatFinished, formatRate, progressBar } from './progress-format.ts'

export type ProgressMode = 'tty' | 'plain' | 'quiet' | 'json'

/** The stage going on: `collect` of `hr500.employees`. */
export interface Stage {
  readonly stage: string
  readonly name: string
  readonly unit: string
}

export interface StageRenderer {
  start(stage: Stage, at: Date): void
  update(stage: Stage, figures: StageFigures, at: Date): void
  /** `stopped`: the work failed or was interrupted before the stage got to its end. */
  end(stage: Stage, figures: StageFigures, at: Date, stopped: boolean): void
}

export type ProgressStream = Pick<NodeJS.WritableStream, 'write'> & { readonly isTTY?: boolean | undefined }

const label = (s: Stage) => (s.name === '' ? s.stage : `${s.stage} ${s.name}`)

/** A terminal redraws at most this often. */
const TTY_REDRAW_MS = 100
/** A log gets at most a line this often (besides 25/50/75% and the ends of a stage). */
const PLAIN_LINE_MS = 10_000
/** A script gets at most an event this often per stage (besides its start and end). */
const JSON_EVENT_MS = 1000

/** Whether a stage whose total is known has just got there: that update is always shown. */
const complete = (f: StageFigures) => f.total !== undefined && f.done >= f.total

class TtyRenderer implements StageRenderer {
  private lastDraw = Number.NEGATIVE_INFINITY

  constructor(private readonly stream: ProgressStream) {}

  start(stage: Stage, at: Date): void {
    this.lastDraw = at.getTime()
    this.stream.write(`\r\x1b[2K${label(stage)}`)
  }

  update(stage: Stage, f: StageFigures, at: Date): void {
    if (at.getTime() - this.lastDraw < TTY_REDRAW_MS && !complete(f)) return
    this.lastDraw = at.getTime()
    const bar = f.total === undefined ? '' : `${progressBar(f.done, f.total)} `
    const eta = f.etaSeconds === undefined ? '' : `  ETA ${formatEta(f.etaSeconds)}`
    this.stream.write(`\r\x1b[2K${label(stage)}  ${bar}${formatDone(f, stage.unit)}  ${formatRate(f.rate)}${eta}`)
  }

  end(stage: Stage, f: StageFigures, _at: Date, stopped: boolean): void {
    // The stage's last line stays: what was done, how long it took, how fast.
    this.stream.write(`\r\x1b[2K${label(stage)}  ${stopped ? 'stopped after ' : ''}${formatFinished(f, stage.unit)}\n`)
  }
}

class PlainRenderer implements StageRenderer {
  private lastLine = 0
  private quarter = 0

  constructor(private readonly stream: ProgressStream) {}

  start(stage: Stage, at: Date): void {
    this.lastLine = at.getTime()
    this.quarter = 0
    this.stream.write(`${label(stage)}: started\n`)
  }

  update(stage: Stage, f: StageFigures, at: Date): void {
    // 25, 50 and 75% each get a line; 100% is the end line's.
    const quarter = f.total === undefined || f.total === 0 ? 0 : Math.min(3, Math.floor((f.done / f.total) * 4))
    const crossed = quarter > this.quarter
    if (!crossed && at.getTime() - this.lastLine < PLAIN_LINE_MS) return
    this.quarter = Math.max(this.quarter, quarter)
    this.lastLine = at.getTime()
    this.stream.write(`${label(stage)}: ${formatDone(f, stage.unit)}, ${formatRate(f.rate)}\n`)
  }

  end(stage: Stage, f: StageFigures, _at: Date, stopped: boolean): void {
    this.stream.write(`${label(stage)}: ${stopped ? 'stopped after' : 'done,'} ${formatFinished(f, stage.unit)}\n`)
  }
}

/** One JSON object a line: `stage.started`, `progress` and `stage.finished` events. */
class JsonRenderer implements StageRenderer {
  private lastEvent = 0

  constructor(private readonly stream: ProgressStream) {}

  private emit(event: string, stage: Stage, at: Date, f?: StageFigures, extra: Record<string, unknown> = {}): void {
    const round = (n: number) => Math.round(n * 10) / 10
    const figures =
      f === undefined
        ? {}
        : {
            done: f.done,
            ...(f.total === undefined ? {} : { total: f.total }),
            rate: round(f.rate),
            ...(f.etaSeconds === undefined ? {} : { etaSeconds: round(f.etaSeconds) }),
          }
    const line = { event, stage: stage.stage, name: stage.name, unit: stage.unit, ...figures, ...extra }
    this.stream.write(`${JSON.stringify({ ...line, at: at.toISOString() })}\n`)
  }

  start(stage: Stage, at: Date): void {
    this.lastEvent = at.getTime()
    this.emit('stage.started', stage, at)
  }

  update(stage: Stage, f: StageFigures, at: Date): void {
    if (at.getTime() - this.lastEvent < JSON_EVENT_MS) return
    this.lastEvent = at.getTime()
    this.emit('progress', stage, at, f)
  }

  end(stage: Stage, f: StageFigures, at: Date, stopped: boolean): void {
    const extra = { elapsedSeconds: f.elapsedMs / 1000, ...(stopped ? { stopped: true } : {}) }
    this.emit('stage.finished', stage, at, { ...f, etaSeconds: undefined }, extra)
  }
}

const silent: StageRenderer = { start() {}, update() {}, end() {} }

export function stageRenderer(mode: ProgressMode, stream: ProgressStream): StageRenderer {
  switch (mode) {
    case 'tty':
      return new TtyRenderer(stream)
    case 'plain':
      return new PlainRenderer(stream)
    case 'json':
      return new JsonRenderer(stream)
    case 'quiet':
      return silent
  }
}
