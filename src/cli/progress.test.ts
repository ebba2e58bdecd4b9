import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Clock } from '../core/index.ts'
import { formatEta, progressBar } from './progress-format.ts'
import { type ProgressStream, progressMode, progressReporter } from './progress.ts'

/** A stderr that keeps what is written; a terminal or not. */
function fakeStream(isTTY: boolean): ProgressStream & { text(): string } {
  const chunks: string[] = []
  return {
    isTTY,
    write: (chunk: string | Uint8Array) => {
      chunks.push(String(chunk))
      return true
    },
    text: () => chunks.join(''),
  }
}

/** A clock the test moves. */
function fakeClock(): Clock & { advance(ms: number): void } {
  let ms = Date.parse('2026-12-05T02:00:00.000Z')
  return { now: () => new Date(ms), advance: (by) => (ms += by) }
}

/** 5,000 rows read in pages of 100, one page every 125 ms (800 rows a second). */
function collectRows(options: { json: boolean; quiet: boolean }, isTTY: boolean) {
  const stream = fakeStream(isTTY)
  const clock = fakeClock()
  const reporter = progressReporter(options, stream, clock)
  const listener = reporter.listener()
  for (let done = 100; done <= 5000; done += 100) {
    clock.advance(125)
    listener({ task: 'collect hr500.employees', done, total: 5000, unit: 'rows' })
  }
  clock.advance(125)
  reporter.end()
  return { stream, reporter, clock }
}

describe('progressMode', () => {
  it('is quiet with --quiet, json with --json, else tty or plain as stderr is a terminal', () => {
    assert.equal(progressMode({ json: true, quiet: true }, fakeStream(true)), 'quiet')
    assert.equal(progressMode({ json: true, quiet: false }, fakeStream(true)), 'json')
    assert.equal(progressMode({ json: false, quiet: false }, fakeStream(true)), 'tty')
    assert.equal(progressMode({ json: false, quiet: false }, fakeStream(false)), 'plain')
  })
})

describe('progress figures', () => {
  it('draws a bar of the share done', () => {
    assert.equal(progressBar(0, 10, 10), '[..........]')
    assert.equal(progressBar(5, 10, 10), '[#####.....]')
    assert.equal(progressBar(10, 10, 10), '[##########]')
    assert.equal(progressBar(0, 0, 4), '[####]')
  })

  it('gives an ETA as mm:ss, from an hour on as h:mm:ss', () => {
    assert.equal(formatEta(4.2), '00:05')
    assert.equal(formatEta(247), '04:07')
    assert.equal(formatEta(3600 + 247), '1:04:07')
  })
})

describe('ProgressReporter', () => {
  it('on a terminal, rewrites one line with a bar, done/total, the rate and an ETA, and leaves a final line', () => {
    const { stream } = collectRows({ json: false, quiet: false }, true)
    const text = stream.text()
    const draws = text.split('\r\x1b[2K').filter((d) => d !== '')
    assert.ok(draws.length > 10, 'the line is rewritten in place')
    assert.match(
      text,
      /collect hr500\.employees {2}\[##########\.{10}\] 2,500\/5,000 rows \(50%\) {2}800\/s {2}ETA 00:04/,
    )
    // No ETA before the rate is stable.
    assert.doesNotMatch(draws[1]!, /ETA/)
    assert.match(draws.at(-1)!, /^collect hr500\.employees {2}5,000 rows in 6\.4 s \(784\/s\)\n$/)
  })

  it('on a terminal, redraws at most every 100 ms, but always at the total', () => {
    const stream = fakeStream(true)
    const clock = fakeClock()
    const reporter = progressReporter({ json: false, quiet: false }, stream, clock)
    for (let done = 1; done <= 100; done++) {
      clock.advance(10)
      reporter.executed('directory_accounts', done, 100)
    }
    reporter.end()
    const draws = stream
      .text()
      .split('\r\x1b[2K')
      .filter((d) => d !== '')
    // The start, every 10th operation (100 ms), the last one again at the total, the final line.
    assert.equal(draws.length, 1 + 10 + 1)
    assert.match(draws.at(-2)!, /100\/100 operations \(100%\)/)
  })

  it('off a terminal, writes plain lines without control characters: start, 25/50/75%, every 10 s, end', () => {
    const { stream } = collectRows({ json: false, quiet: false }, false)
    const lines = stream.text().trimEnd().split('\n')
    assert.doesNotMatch(stream.text(), /[\r\x1b]/)
    assert.deepEqual(lines, [
      'collect hr500.employees: started',
      'collect hr500.employees: 1,300/5,000 rows (26%), 800/s',
      'collect hr500.employees: 2,500/5,000 rows (50%), 800/s',
      'collect hr500.employees: 3,800/5,000 rows (76%), 800/s',
      'collect hr500.employees: done, 5,000 rows in 6.4 s (784/s)',
    ])
  })

  it('off a terminal, a stage without a total gets a line every 10 seconds at most', () => {
    const stream = fakeStream(false)
    const clock = fakeClock()
    const reporter = progressReporter({ json: false, quiet: false }, stream, clock)
    for (let page = 1; page <= 100; page++) {
      clock.advance(500) // 50 s in all
      reporter.evaluated('directory_accounts', 0, page * 10)
    }
    reporter.end()
    const lines = stream.text().trimEnd().split('\n')
    assert.equal(lines.length, 1 + 5 + 1)
    assert.equal(lines[1], 'evaluate directory_accounts step 1: 200 rows, 20/s')
    assert.equal(lines.at(-1), 'evaluate directory_accounts step 1: done, 1,000 rows in 50.0 s (20/s)')
  })

  it('with --quiet, writes nothing', () => {
    const { stream } = collectRows({ json: false, quiet: true }, true)
    assert.equal(stream.text(), '')
    assert.equal(collectRows({ json: true, quiet: true }, false).stream.text(), '')
  })

  it('with --json, writes one event a line: the start, progress at most every second, the end', () => {
    const { stream } = collectRows({ json: true, quiet: false }, true)
    const events = stream
      .text()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.deepEqual(events[0], {
      event: 'stage.started',
      stage: 'collect',
      name: 'hr500.employees',
      unit: 'rows',
      at: '2026-12-05T02:00:00.000Z',
    })
    const progress = events.filter((e) => e.event === 'progress')
    assert.equal(progress.length, 6, 'one a second over 6.4 s')
    assert.deepEqual(progress[1], {
      event: 'progress',
      stage: 'collect',
      name: 'hr500.employees',
      unit: 'rows',
      done: 1600,
      total: 5000,
      rate: 800,
      etaSeconds: 4.3,
      at: '2026-12-05T02:00:02.000Z',
    })
    assert.deepEqual(events.at(-1), {
      event: 'stage.finished',
      stage: 'collect',
      name: 'hr500.employees',
      unit: 'rows',
      done: 5000,
      total: 5000,
      rate: 784.3,
      elapsedSeconds: 6.375,
      at: '2026-12-05T02:00:06.375Z',
    })
  })

  it('ends a stage when another begins, and ending twice writes one end', () => {
    const stream = fakeStream(false)
    const clock = fakeClock()
    const reporter = progressReporter({ json: false, quiet: false }, stream, clock)
    const listener = reporter.listener()
    listener({ task: 'collect hr500.employees', done: 10, unit: 'rows' })
    listener({ task: 'collect hr500.contracts', done: 20, unit: 'rows' })
    reporter.end()
    reporter.end()
    assert.deepEqual(
      stream
        .text()
        .trimEnd()
        .split('\n')
        .filter((l) => !l.endsWith('started')),
      ['collect hr500.employees: done, 10 rows in 0 ms (0/s)', 'collect hr500.contracts: done, 20 rows in 0 ms (0/s)'],
    )
  })

  it('says a stage stopped when the work it tracks throws', async () => {
    const lines = async (isTTY: boolean, json: boolean) => {
      const stream = fakeStream(isTTY)
      const clock = fakeClock()
      const reporter = progressReporter({ json, quiet: false }, stream, clock)
      const work = (async () => {
        reporter.executed('plan 3', 40, 100)
        clock.advance(2000)
        throw new Error('the target went away')
      })()
      await assert.rejects(reporter.track(work), /the target went away/)
      return stream.text().trimEnd().split('\n').at(-1)!
    }
    assert.equal(await lines(false, false), 'execute plan 3: stopped after 40 operations in 2.0 s (20/s)')
    assert.match(await lines(true, false), /\r\x1b\[2Kexecute plan 3 {2}stopped after 40 operations in 2\.0 s/)
    assert.deepEqual(JSON.parse(await lines(false, true)), {
      event: 'stage.finished',
      stage: 'execute',
      name: 'plan 3',
      unit: 'operations',
      done: 40,
      total: 100,
      rate: 20,
      elapsedSeconds: 2,
      stopped: true,
      at: '2026-12-05T02:00:02.000Z',
    })
  })

  it('times a stage from where the work before it last moved, or from where tracked work began', async () => {
    const stream = fakeStream(false)
    const clock = fakeClock()
    const reporter = progressReporter({ json: false, quiet: false }, stream, clock)
    clock.advance(5000) // other work, before the tracked work begins
    const work = (async () => {
      await Promise.resolve()
      clock.advance(200)
      reporter.evaluated('directory_accounts', 0, 100)
      clock.advance(300)
      reporter.evaluated('directory_accounts', 1, 30)
      clock.advance(100)
    })()
    await reporter.track(work)
    assert.deepEqual(
      stream
        .text()
        .trimEnd()
        .split('\n')
        .filter((l) => !l.endsWith('started')),
      [
        'evaluate directory_accounts step 1: done, 100 rows in 200 ms (500/s)',
        'evaluate directory_accounts step 2: done, 30 rows in 400 ms (75/s)',
      ],
    )
  })
})
