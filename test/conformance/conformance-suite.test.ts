/**
 * The conformance suite itself: it passes the unchanged SQL connector and notices each fault built
 * into fixtures/faulty-connectors.ts. The faulty subjects run in a child `node --test` (they are
 * meant to fail), reported one JSON line per test by fixtures/json-lines-reporter.mjs.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { describe, it } from 'node:test'

interface Reported {
  readonly name: string
  readonly nesting: number
  readonly passed: boolean
  readonly message?: string
}

const FIXTURES = path.join(import.meta.dirname, 'fixtures')

/** Each subject's checks, as the child run reported them. */
async function runFaultySubjects(): Promise<Map<string, Reported[]>> {
  // node:test's wiring of this run (NODE_TEST_CONTEXT) must not reach the child run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NODE_TEST')))
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        `--test-reporter=${path.join(FIXTURES, 'json-lines-reporter.mjs')}`,
        path.join(FIXTURES, 'faulty-connectors.ts'),
      ],
      { env, maxBuffer: 16 * 1024 * 1024 },
      // The run fails (the faulty subjects do): only a missing report is an error here.
      (error, stdout) => (stdout === '' && error !== null ? reject(new Error(error.message)) : resolve(stdout)),
    )
  })
  const subjects = new Map<string, Reported[]>()
  let checks: Reported[] = []
  for (const line of output.split('\n').filter((l) => l.startsWith('{'))) {
    const reported = JSON.parse(line) as Reported
    if (reported.nesting > 0) {
      checks.push(reported)
    } else {
      // A suite is reported after its checks.
      subjects.set(reported.name.replace(/^conformance: /, ''), checks)
      checks = []
    }
  }
  return subjects
}

const FAULTS: readonly (readonly [subject: string, check: RegExp, message: RegExp])[] = [
  ['plain errors', /^apply\(update\) of a row that is not there/, /threw Error: .*, not a ProvisioError/],
  ['secret in details', /^apply\(create\) of a duplicate/, /shows a secret/],
  ['a page read twice', /^read\(\): more rows than a page holds/, /repeats a row/],
  ['one page', /^read\(\): more rows than a page holds/, /a page holds more than 3 rows/],
  ['update returns another row', /^apply\(update\): changes only/, /returned row differs from the row read/],
  ['delete does nothing', /^apply\(delete\)/, /still shows the deleted row/],
  ['wrong credentials retried', /^check\(\): wrong credentials/, /is retried/],
  ['plain error after close', /^close\(\)/, /after close\(\) threw Error: closed, not a ProvisioError/],
  ['impure functions', /^functions\(table\)/, /differs between two calls/],
  ['lenient config', /^config schema/, /accepts an unknown key/],
]

describe('the conformance suite', () => {
  it('passes the unchanged SQL connector and fails each faulty one at the check for its fault', async () => {
    const subjects = await runFaultySubjects()
    const unchanged = subjects.get('unchanged')
    assert.ok(unchanged !== undefined && unchanged.length > 0, 'the unchanged subject did not run')
    assert.deepEqual(
      unchanged.filter((c) => !c.passed).map((c) => `${c.name}: ${c.message ?? ''}`),
      [],
    )
    for (const [subject, check, message] of FAULTS) {
      const failed = (subjects.get(subject) ?? []).filter((c) => !c.passed)
      const found = failed.find((c) => check.test(c.name))
      assert.ok(found !== undefined, `${subject}: no failure of ${check} among ${failed.map((c) => c.name).join('; ')}`)
      assert.match(found.message ?? '', message, `${subject}: ${found.name}`)
    }
  })
})
