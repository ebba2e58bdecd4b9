/**
 * The scheduler on a fake clock with fake timers: exact UTC instants of runs across daylight-saving
 * changes in Europe/Amsterdam and America/New_York (croner's reading of a cron pattern in a zone),
 * coalescing a run that outlasts its interval, occurrences missed while asleep firing once, resume,
 * and stop() aborting the runs going on and waiting for them.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { zonedParts } from '../core/index.ts'
import type { SyncTaskConfig, TaskConfig } from '../config/index.ts'
import { FakeTime, settle } from '../../test/support/fake-time.ts'
import { MAX_SLEEP_MS, type RunReason, Scheduler, type SchedulerEvent } from './scheduler.ts'

function task(name: string, cron: string, timeZone: string, enabled = true): TaskConfig {
  const config: SyncTaskConfig = {
    name,
    type: 'sync',
    enabled,
    schedule: { cron, timeZone },
    collect: [],
    evaluate: [],
    execute: false,
    approval: false,
    file: 'tasks.yaml',
    document: {} as SyncTaskConfig['document'],
  }
  return config
}

interface Bed {
  readonly time: FakeTime
  readonly scheduler: Scheduler
  /** `task@instant` of every run started, the instant as the clock read it then. */
  readonly starts: string[]
  readonly events: SchedulerEvent[]
}

function bed(
  start: string,
  tasks: readonly TaskConfig[],
  run: (task: string, signal: AbortSignal, reason: RunReason) => Promise<unknown> = () => Promise.resolve('done'),
): Bed {
  const time = new FakeTime(start)
  const starts: string[] = []
  const events: SchedulerEvent[] = []
  const scheduler = new Scheduler({
    tasks,
    clock: time,
    timers: time,
    onEvent: (e) => events.push(e),
    run: (name, signal, reason) => {
      starts.push(`${name}@${time.now().toISOString()}`)
      return run(name, signal, reason)
    },
  })
  return { time, scheduler, starts, events }
}

/** The instants `name` started at, as ISO text without milliseconds. */
function runsOf(b: Bed, name = 't'): string[] {
  return b.starts.filter((s) => s.startsWith(`${name}@`)).map((s) => s.slice(name.length + 1).replace('.000Z', 'Z'))
}

function local(iso: string, zone: string): string {
  const p = zonedParts(new Date(iso), zone)
  return `${p.hour}:${p.minute} ${p.zoneName}`
}

/** Every `stepMs` from `from` (inclusive) to `to` (exclusive), as ISO text without milliseconds. */
function every(from: string, to: string, stepMs: number): string[] {
  const out: string[] = []
  for (let t = Date.parse(from); t < Date.parse(to); t += stepMs)
    out.push(new Date(t).toISOString().replace('.000Z', 'Z'))
  return out
}

function deferred<T = unknown>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

async function across(b: Bed, to: string): Promise<void> {
  b.scheduler.start()
  await b.time.advanceTo(to)
  await b.scheduler.stop()
}

describe('Scheduler across daylight-saving changes', () => {
  it('runs a daily 02:30 task once on the spring-forward day in Amsterdam, at 03:00 CEST (02:30 does not exist)', async () => {
    const b = bed('2026-03-27T12:00:00Z', [task('t', '30 2 * * *', 'Europe/Amsterdam')])
    await across(b, '2026-03-31T12:00:00Z')
    const runs = runsOf(b)
    assert.deepEqual(runs, [
      '2026-03-28T01:30:00Z',
      '2026-03-29T01:00:00Z',
      '2026-03-30T00:30:00Z',
      '2026-03-31T00:30:00Z',
    ])
    assert.deepEqual(
      runs.map((r) => local(r, 'Europe/Amsterdam')),
      ['02:30 GMT+1', '03:00 GMT+2', '02:30 GMT+2', '02:30 GMT+2'],
    )
  })

  it('runs a daily 02:30 task once on the fall-back day in Amsterdam, at the first 02:30 (summer time)', async () => {
    const b = bed('2026-10-23T12:00:00Z', [task('t', '30 2 * * *', 'Europe/Amsterdam')])
    await across(b, '2026-10-27T12:00:00Z')
    const runs = runsOf(b)
    assert.deepEqual(runs, [
      '2026-10-24T00:30:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-26T01:30:00Z',
      '2026-10-27T01:30:00Z',
    ])
    assert.deepEqual(
      runs.map((r) => local(r, 'Europe/Amsterdam')),
      ['02:30 GMT+2', '02:30 GMT+2', '02:30 GMT+1', '02:30 GMT+1'],
    )
  })

  it('does the same in New York: 02:30 on spring-forward day runs at 03:00 EDT, the doubled 01:30 runs once', async () => {
    const spring = bed('2026-03-06T12:00:00Z', [task('t', '30 2 * * *', 'America/New_York')])
    await across(spring, '2026-03-10T12:00:00Z')
    assert.deepEqual(runsOf(spring), [
      '2026-03-07T07:30:00Z',
      '2026-03-08T07:00:00Z',
      '2026-03-09T06:30:00Z',
      '2026-03-10T06:30:00Z',
    ])
    assert.equal(local('2026-03-08T07:00:00Z', 'America/New_York'), '03:00 EDT')

    const fall = bed('2026-10-30T12:00:00Z', [task('t', '30 1 * * *', 'America/New_York')])
    await across(fall, '2026-11-03T12:00:00Z')
    assert.deepEqual(runsOf(fall), [
      '2026-10-31T05:30:00Z',
      '2026-11-01T05:30:00Z', // 01:30 EDT; 01:30 EST an hour later does not run
      '2026-11-02T06:30:00Z',
      '2026-11-03T06:30:00Z',
    ])
  })

  for (const [zone, springDay, fallDay] of [
    [
      'Europe/Amsterdam',
      ['2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z'],
      ['2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z'],
    ],
    [
      'America/New_York',
      ['2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z'],
      ['2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z'],
    ],
  ] as const) {
    it(`runs an hourly task every UTC hour in ${zone}: 23 runs on the spring-forward day, 25 on the fall-back day`, async () => {
      const hour = 3_600_000
      const spring = bed(new Date(Date.parse(springDay[0]) - 1000).toISOString(), [task('t', '0 * * * *', zone)])
      await across(spring, new Date(Date.parse(springDay[1]) - 1000).toISOString())
      assert.deepEqual(runsOf(spring), every(springDay[0], springDay[1], hour))
      assert.equal(runsOf(spring).length, 23)

      const fall = bed(new Date(Date.parse(fallDay[0]) - 1000).toISOString(), [task('t', '0 * * * *', zone)])
      await across(fall, new Date(Date.parse(fallDay[1]) - 1000).toISOString())
      assert.deepEqual(runsOf(fall), every(fallDay[0], fallDay[1], hour))
      assert.equal(runsOf(fall).length, 25)
      // The repeated local hour runs twice, once in each offset.
      const hours = runsOf(fall).map((r) => local(r, zone).slice(0, 2))
      assert.equal(hours.filter((h) => h === (zone === 'Europe/Amsterdam' ? '02' : '01')).length, 2)
    })
  }

  it('runs */15 every quarter of an hour through the repeated hour in Amsterdam, and past the skipped one', async () => {
    const fall = bed('2026-10-24T23:59:00Z', [task('t', '*/15 * * * *', 'Europe/Amsterdam')])
    await across(fall, '2026-10-25T01:59:00Z')
    assert.deepEqual(runsOf(fall), every('2026-10-25T00:00:00Z', '2026-10-25T02:00:00Z', 900_000))
    assert.deepEqual(
      runsOf(fall).map((r) => local(r, 'Europe/Amsterdam')),
      [
        '02:00 GMT+2',
        '02:15 GMT+2',
        '02:30 GMT+2',
        '02:45 GMT+2',
        '02:00 GMT+1',
        '02:15 GMT+1',
        '02:30 GMT+1',
        '02:45 GMT+1',
      ],
    )
    const spring = bed('2026-03-29T00:40:00Z', [task('t', '*/15 * * * *', 'Europe/Amsterdam')])
    await across(spring, '2026-03-29T01:20:00Z')
    assert.deepEqual(
      runsOf(spring).map((r) => local(r, 'Europe/Amsterdam')),
      ['01:45 GMT+1', '03:00 GMT+2', '03:15 GMT+2'],
    )
  })

  it('runs a weekly Sunday 02:00 task on the spring-forward Sunday at 03:00 CEST, then at 02:00 again', async () => {
    const b = bed('2026-03-20T00:00:00Z', [task('t', '0 2 * * 0', 'Europe/Amsterdam')])
    await across(b, '2026-04-06T00:00:00Z')
    assert.deepEqual(runsOf(b), ['2026-03-22T01:00:00Z', '2026-03-29T01:00:00Z', '2026-04-05T00:00:00Z'])
  })

  it('sleeps at most an hour at a time, and still fires a yearly task on the day', async () => {
    const b = bed('2026-02-01T00:00:00Z', [task('t', '0 0 1 1 *', 'UTC')])
    b.scheduler.start()
    await b.time.advance(MAX_SLEEP_MS - 1)
    assert.equal(b.time.pending, 1)
    await b.time.advanceTo('2027-01-01T00:00:01Z')
    await b.scheduler.stop()
    assert.deepEqual(runsOf(b), ['2027-01-01T00:00:00Z'])
  })
})

describe('Scheduler', () => {
  it('schedules the enabled tasks with a schedule, and says when each runs next', () => {
    const b = bed('2026-12-01T10:00:00Z', [
      task('daily', '0 2 * * *', 'UTC'),
      task('off', '* * * * *', 'UTC', false),
      { ...task('manual', '* * * * *', 'UTC'), schedule: undefined },
      task('soon', '*/5 * * * *', 'UTC'),
    ])
    b.scheduler.start()
    assert.deepEqual(
      b.scheduler.nextRuns().map((n) => [n.task, n.at.toISOString()]),
      [
        ['soon', '2026-12-01T10:05:00.000Z'],
        ['daily', '2026-12-02T02:00:00.000Z'],
      ],
    )
    assert.throws(() => b.scheduler.start(), /starts once/)
    return b.scheduler.stop()
  })

  it('coalesces the occurrences that fall due while the task is still running: skipped, not started twice', async () => {
    const slow = deferred()
    let first = true
    const b = bed('2026-12-01T10:00:30Z', [task('t', '* * * * *', 'UTC')], () => {
      if (!first) return Promise.resolve('quick')
      first = false
      return slow.promise
    })
    b.scheduler.start()
    await b.time.advanceTo('2026-12-01T10:03:30Z') // runs at 10:01 and is still running at 10:02 and 10:03
    assert.deepEqual(runsOf(b), ['2026-12-01T10:01:00Z'])
    assert.deepEqual(
      b.events.filter((e) => e.type === 'skipped').map((e) => (e as { at: Date }).at.toISOString()),
      ['2026-12-01T10:02:00.000Z', '2026-12-01T10:03:00.000Z'],
    )
    slow.resolve('slow')
    await settle()
    await b.time.advanceTo('2026-12-01T10:04:30Z')
    await b.scheduler.stop()
    assert.deepEqual(runsOf(b), ['2026-12-01T10:01:00Z', '2026-12-01T10:04:00Z'])
  })

  it('runs once after missing several occurrences (a clock jump), and keeps an occurrence after a late wake', async () => {
    const b = bed('2026-12-01T10:00:30Z', [task('t', '* * * * *', 'UTC')])
    b.scheduler.start()
    await b.time.jump(45_000) // wakes 15 s late for 10:01
    assert.deepEqual(runsOf(b), ['2026-12-01T10:01:15Z'])
    assert.equal(b.scheduler.nextRuns()[0]!.at.toISOString(), '2026-12-01T10:02:00.000Z', 'from the due time, not now')
    await b.time.jump(10 * 60_000) // asleep from 10:01:15 to 10:11:15: ten occurrences missed
    assert.deepEqual(runsOf(b), ['2026-12-01T10:01:15Z', '2026-12-01T10:11:15Z'])
    assert.equal(b.scheduler.nextRuns()[0]!.at.toISOString(), '2026-12-01T10:12:00.000Z')
    await b.time.advanceTo('2026-12-01T10:12:30Z')
    await b.scheduler.stop()
    assert.deepEqual(runsOf(b).length, 3)
    assert.equal(b.events.filter((e) => e.type === 'skipped').length, 0)
  })

  it('resumes the tasks given at once, and reports what each run returned or threw', async () => {
    const b = bed('2026-12-01T10:00:00Z', [task('t', '0 2 * * *', 'UTC')], (name) =>
      name === 'bad' ? Promise.reject(new Error('boom')) : Promise.resolve(`${name} ok`),
    )
    b.scheduler.start(['t', 'bad'])
    await settle()
    assert.deepEqual(runsOf(b), ['2026-12-01T10:00:00Z'])
    const finished = b.events.filter((e) => e.type === 'finished')
    assert.deepEqual(
      finished.map((e) => [e.task, e.reason, e.result, (e.error as Error | undefined)?.message]),
      [
        ['t', 'resume', 't ok', undefined],
        ['bad', 'resume', undefined, 'boom'],
      ],
    )
    await b.scheduler.stop()
  })

  it('stop() starts nothing more, aborts the runs going on and waits until they have ended', async () => {
    const ended: string[] = []
    const b = bed('2026-12-01T10:00:30Z', [task('t', '* * * * *', 'UTC')], async (_name, signal) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
      await settle() // in-flight operations finishing
      ended.push('t')
      return 'interrupted'
    })
    b.scheduler.start()
    await b.time.advance(60_000)
    assert.deepEqual(b.scheduler.runningTasks(), ['t'])
    const stopping = b.scheduler.stop()
    assert.equal(b.scheduler.stop(), stopping, 'idempotent')
    assert.deepEqual(ended, [], 'the run has not ended yet')
    await stopping
    assert.deepEqual(ended, ['t'])
    assert.deepEqual(
      b.events.filter((e) => e.type !== 'scheduled').map((e) => e.type),
      ['started', 'stopping', 'finished'],
    )
    assert.deepEqual(
      b.events.find((e) => e.type === 'stopping'),
      { type: 'stopping', running: ['t'] },
    )
    assert.equal(b.time.pending, 0, 'no timer left')
    await b.time.advance(10 * 60_000)
    assert.equal(runsOf(b).length, 1, 'nothing starts after stop()')
    assert.deepEqual(b.scheduler.nextRuns(), [])
  })
})
