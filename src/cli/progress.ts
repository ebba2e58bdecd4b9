import type { ProgressEvent, ProgressListener } from '../core/index.ts'
import { formatCount } from './output.ts'

/**
 * Progress on a terminal: one line per task, rewritten in place at most every 100 ms, with the
 * count, the rate and, when the total is known, the share done. Off a terminal it prints nothing
 * (the result lines say what was done).
 */
export function progressPrinter(stream: NodeJS.WriteStream): ProgressListener {
  if (stream.isTTY !== true) return () => {}
  let task = ''
  let started = 0
  let lastDraw = 0
  return (event: ProgressEvent) => {
    const now = Date.now()
    if (event.task !== task) {
      if (task !== '') stream.write('\n')
      task = event.task
      started = now
    } else if (now - lastDraw < 100 && event.done !== event.total) return
    lastDraw = now
    const seconds = Math.max(0.001, (now - started) / 1000)
    const rate = Math.round(event.done / seconds)
    const share =
      event.total === undefined || event.total === 0 ? '' : ` ${Math.floor((event.done / event.total) * 100)}%`
    stream.write(`\r\x1b[2K${task}  ${formatCount(event.done)} ${event.unit ?? ''}${share}  ${formatCount(rate)}/s`)
  }
}

/** Ends the progress line, if one was drawn. */
export function endProgress(stream: NodeJS.WriteStream): void {
  if (stream.isTTY === true) stream.write('\r\x1b[2K')
}
