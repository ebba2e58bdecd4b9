/**
 * A run's progress while it goes on, from its server-sent events (GET /api/runs/:id/progress):
 * one bar per stage (collect a table, evaluate a job step, execute a plan) with done/total and the
 * rate. A stage without a total (evaluating reads rows as they come) shows a moving count instead.
 */
import { useState } from 'react'
import { useEventStream } from '../../hooks.ts'

interface StageEvent {
  readonly event: string
  readonly stage?: string
  readonly name?: string
  readonly unit?: string
  readonly done?: number
  readonly total?: number
  readonly rate?: number
  readonly elapsedSeconds?: number
  readonly stopped?: boolean
  readonly status?: string
}

interface Stage {
  readonly key: string
  readonly stage: string
  readonly name: string
  readonly unit: string
  done: number
  total?: number | undefined
  rate?: number | undefined
  elapsedSeconds?: number | undefined
  state: 'going' | 'done' | 'stopped'
}

export function LiveProgress({ runId, onFinished }: { runId: number; onFinished: (status: string) => void }) {
  const [stages, setStages] = useState<Stage[]>([])
  const [connected, setConnected] = useState(false)
  useEventStream(`/api/runs/${runId}/progress`, (event, raw) => {
    const data = raw as StageEvent
    setConnected(true)
    if (event === 'finished') {
      onFinished(data.status ?? '')
      return
    }
    const key = `${data.stage ?? ''} ${data.name ?? ''}`
    setStages((previous) => {
      const list = previous.map((s) => ({ ...s }))
      let stage = list.find((s) => s.key === key)
      if (stage === undefined) {
        stage = { key, stage: data.stage ?? '', name: data.name ?? '', unit: data.unit ?? '', done: 0, state: 'going' }
        list.push(stage)
      }
      if (data.done !== undefined) stage.done = data.done
      if (data.total !== undefined) stage.total = data.total
      if (data.rate !== undefined) stage.rate = data.rate
      if (event === 'stage.finished') {
        stage.state = data.stopped === true ? 'stopped' : 'done'
        stage.elapsedSeconds = data.elapsedSeconds
      }
      return list
    })
  })

  return (
    <div className="live-progress" aria-label="Live progress">
      {stages.length === 0 && (
        <div className="muted small">{connected ? 'Waiting for the first stage…' : 'Following the run…'}</div>
      )}
      {stages.map((s) => {
        const share =
          s.state === 'done' ? 1 : s.total !== undefined && s.total > 0 ? Math.min(1, s.done / s.total) : undefined
        return (
          <div key={s.key} className={`stage stage-${s.state}`}>
            <div className="stage-head">
              <span>
                <strong>{s.stage}</strong> {s.name}
              </span>
              <span className="muted small">
                {s.done.toLocaleString('en-US')}
                {s.total !== undefined && ` / ${s.total.toLocaleString('en-US')}`} {s.unit}
                {s.rate !== undefined && s.rate > 0 && ` · ${s.rate.toLocaleString('en-US')} ${s.unit}/s`}
                {s.elapsedSeconds !== undefined && ` · ${s.elapsedSeconds.toFixed(1)} s`}
                {s.state === 'stopped' && ' · stopped'}
              </span>
            </div>
            <div
              className={share === undefined ? 'progress indeterminate' : 'progress'}
              role="progressbar"
              aria-label={`${s.stage} ${s.name}`}
              aria-valuemin={0}
              aria-valuemax={s.total ?? undefined}
              aria-valuenow={s.done}
            >
              <div style={{ width: share === undefined ? '30%' : `${Math.round(share * 100)}%` }} />
            </div>
          </div>
        )
      })}
    </div>
  )
}
