/**
 * The typed events a run emits (docs/events.md), against a real vault and a real SQL target: a
 * sync task reports its collection, its job's evaluation, every operation (without the generated
 * password) and how it finished; a threshold stop reports job.stopped; a sink that wants nothing
 * gets nothing built.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Clock, EventSink, EventType, ProvisioEvent } from '../core/index.ts'
import { type EngineBed, type Person, createEngineBed } from '../../test/support/engine-bed.ts'
import { VAULT_KINDS } from '../../test/support/vaults.ts'
import { runJob } from './run-job.ts'
import { runTask } from './run-task.ts'

const DOCUMENTS = `kind: Job
name: onboard
steps: [create_accounts]
---
kind: Job
name: limited
steps: [{ mapping: create_accounts, threshold: 1 }]
---
kind: Task
name: sync
type: sync
collect: [dir]
evaluate: [onboard]
---
kind: Task
name: careful
type: sync
evaluate: [limited]
`

const clock: Clock = { now: () => new Date('2026-12-01T10:00:00Z') }

const joiners: Person[] = [
  { id: 'J1', first_name: 'Ann', last_name: 'Lee' },
  { id: 'J2', first_name: 'Bo', last_name: 'Lee' },
]

/** A sink that records what it wants. */
function recorder(wanted: readonly EventType[] | 'all'): EventSink & { readonly events: ProvisioEvent[] } {
  const events: ProvisioEvent[] = []
  return {
    events,
    wants: (type) => wanted === 'all' || wanted.includes(type),
    emit: (event) => void events.push(event),
  }
}

for (const kind of VAULT_KINDS) {
  describe(`run events (${kind} vault)`, () => {
    let bed: EngineBed
    beforeEach(async () => {
      bed = await createEngineBed(kind)
      await bed.load(DOCUMENTS)
    })
    afterEach(() => bed.close())

    it('a sync task reports its collection, evaluation, operations and end', async () => {
      await bed.people(joiners)
      const sink = recorder('all')
      const run = await runTask(bed.vault.driver, bed.project, 'sync', { clock, events: sink })
      assert.equal(run.status, 'succeeded')
      assert.deepEqual(
        sink.events.map((e) => e.type),
        ['collection.finished', 'job.evaluated', 'mapping.executed', 'mapping.executed', 'task.finished'],
      )
      for (const event of sink.events) {
        assert.equal(event.runId, run.runId)
        assert.equal(event.task, 'sync')
        assert.equal(event.at, '2026-12-01T10:00:00.000Z')
      }
      const [collected, evaluated, executed, , finished] = sink.events
      assert.equal(collected?.type === 'collection.finished' && collected.name, 'dir')
      assert.ok(evaluated?.type === 'job.evaluated')
      assert.equal(evaluated.planned, 2)
      assert.equal(evaluated.success, true)
      assert.deepEqual(
        evaluated.steps.map((s) => [s.mapping, s.operations, s.exceeded]),
        [['create_accounts', 2, false]],
      )
      assert.ok(executed?.type === 'mapping.executed')
      assert.equal(executed.name, 'create_accounts')
      assert.equal(executed.job, 'onboard')
      assert.equal(executed.status, 'succeeded')
      assert.deepEqual(executed.secrets, ['password'])
      // The generated password is in no event, under any name.
      assert.doesNotMatch(JSON.stringify(sink.events), /pw-J\d-/)
      assert.ok(finished?.type === 'task.finished')
      assert.equal(finished.status, 'succeeded')
      assert.equal(finished.success, true)
      assert.deepEqual(finished.planIds, [evaluated.planId])
      assert.equal(finished.counts['succeeded'], 2)
    })

    it('a threshold stop reports job.stopped and an unsuccessful task.finished', async () => {
      await bed.people(joiners)
      await runTask(bed.vault.driver, bed.project, 'sync', { clock, evaluateOnly: true })
      const sink = recorder('all')
      const run = await runTask(bed.vault.driver, bed.project, 'careful', { clock, events: sink })
      assert.equal(run.status, 'stopped')
      assert.deepEqual(
        sink.events.map((e) => [e.type, e.success]),
        [
          ['job.evaluated', false],
          ['job.stopped', false],
          ['task.finished', false],
        ],
      )
      const stopped = sink.events[1]
      assert.ok(stopped?.type === 'job.stopped')
      assert.deepEqual(
        stopped.exceeded.map((s) => [s.mapping, s.threshold, s.exceeded]),
        [['create_accounts', '1', true]],
      )
    })

    it('builds only the events the sink wants', async () => {
      await bed.people(joiners)
      await runTask(bed.vault.driver, bed.project, 'sync', { clock, evaluateOnly: true })
      const sink = recorder(['job.evaluated'])
      const emitted: ProvisioEvent[] = []
      const run = await runJob(bed.vault.driver, bed.project, 'onboard', {
        clock,
        events: { wants: (type) => sink.wants(type), emit: (e) => void emitted.push(e) },
      })
      assert.equal(run.execution?.succeeded, 2)
      assert.deepEqual(
        emitted.map((e) => e.type),
        ['job.evaluated'],
      )
      assert.equal(emitted[0]?.runId, run.runId)
    })
  })
}
