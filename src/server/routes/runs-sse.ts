/**
 * A run's live progress as server-sent events (`text/event-stream`): each event is
 * `event: <name>` and `data: <json>`, the names those of `--json` progress (stage.started, progress,
 * stage.finished) and a last `finished` with the run's status, after which the stream ends.
 */
import type { FastifyReply } from 'fastify'
import type { RunProgress, RunProgressEvent } from '../run-progress.ts'

function frame(event: RunProgressEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event)}\n\n`
}

/** Takes the reply over and streams `progress` until the run finishes or the client goes away. */
export function streamProgress(reply: FastifyReply, progress: RunProgress | undefined, ended?: RunProgressEvent): void {
  reply.hijack()
  const raw = reply.raw
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  })
  // Node holds the headers back until the first write: a client of a queued run would see nothing at all.
  raw.flushHeaders()
  if (progress === undefined) {
    raw.end(ended === undefined ? '' : frame(ended))
    return
  }
  let unsubscribe: () => void = () => {}
  let closed = false
  const close = () => {
    if (closed) return
    closed = true
    unsubscribe()
    raw.end()
  }
  unsubscribe = progress.subscribe((event) => {
    if (closed) return
    raw.write(frame(event))
    if (event.event === 'finished') close()
  })
  // A run that had finished already replayed its `finished` above, synchronously.
  if (closed) unsubscribe()
  raw.on('close', close)
}
