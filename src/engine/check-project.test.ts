import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { copyHr500 } from '../../test/support/cli.ts'
import { checkProject } from './check-project.ts'
import { createdDuring } from '../../test/support/created-during.ts'

const REPORT = 'notifications/sync-report.yaml'

/** The hr500 notifications with an smtp server that names a CA file, and a Template whose Liquid does not parse. */
function brokenNotifications(original: string): string {
  return original
    .replace(
      /transport: pickup\ndirectory: \.provisio\/outbox\n/,
      'transport: smtp\nhost: localhost\nsecurity: tls\nca: certs/ca.pem\n',
    )
    .replace('  {%- endif %}\n\n  {% plan_report %}', '\n  {% plan_report %}')
}

/** Every file under `dir` (dot-folders included) with its size, modification time and content hash. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name)
      const stats = statSync(file)
      const hash = stats.isFile() ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'folder'
      return `${path.relative(dir, file)} ${String(stats.size)} ${String(stats.mtimeMs)} ${hash}`
    })
    .sort()
}

describe('checkProject with an overlay (files)', () => {
  let project: { dir: string; remove: () => void }
  let written: { dir: string; remove: () => void }
  let notifications: string
  let edited: string

  before(() => {
    project = copyHr500()
    written = copyHr500()
    notifications = readFileSync(path.join(project.dir, REPORT), 'utf8')
    edited = brokenNotifications(notifications)
    assert.notEqual(edited, notifications)
    writeFileSync(path.join(written.dir, REPORT), edited)
  })
  after(() => {
    project.remove()
    written.remove()
  })

  test('gives the issues of the edited project exactly as when the edit is written, template positions included', async () => {
    const expected = await checkProject(written.dir)
    const codes = expected.issues.map((i) => `${i.file ?? ''}:${i.line ?? ''}:${i.column ?? ''} ${i.code}`)
    assert.ok(
      codes.some((c) => c.startsWith(`${REPORT}:`) && c.endsWith(' CFG_TEMPLATE_SYNTAX')),
      codes.join('\n'),
    )
    assert.ok(
      codes.some((c) => c.startsWith(`${REPORT}:`) && c.endsWith(' CFG_INVALID_VALUE')),
      codes.join('\n'),
    )

    const overlaid = await checkProject(project.dir, { files: new Map([[REPORT, edited]]) })
    assert.deepEqual(overlaid.issues, expected.issues)
    assert.equal(overlaid.project.dir, project.dir)
    // The project itself still checks as it is.
    assert.deepEqual(
      (await checkProject(project.dir)).issues.filter((i) => i.file === REPORT),
      [],
    )
  })

  test('an added file exists for a check that looks for one (a CA file), a removed one does not', async () => {
    const ca = (issues: readonly { code: string; message: string }[]) =>
      issues.filter((i) => i.code === 'CFG_INVALID_VALUE' && i.message.includes('CA file')).length
    const withCa = await checkProject(project.dir, {
      files: new Map([
        [REPORT, edited],
        ['certs/ca.pem', '-----BEGIN CERTIFICATE-----\n'],
      ]),
    })
    assert.equal(ca(withCa.issues), 0)

    mkdirSync(path.join(written.dir, 'certs'), { recursive: true })
    writeFileSync(path.join(written.dir, 'certs', 'ca.pem'), '-----BEGIN CERTIFICATE-----\n')
    try {
      assert.equal(ca((await checkProject(written.dir)).issues), 0)
      const removed = await checkProject(written.dir, { files: new Map([['certs/ca.pem', null]]) })
      assert.equal(ca(removed.issues), 1)
    } finally {
      rmSync(path.join(written.dir, 'certs'), { recursive: true, force: true })
    }
  })

  test('a check with an overlay writes nothing: not in the project, not in the temporary folder', async () => {
    const files = new Map<string, string | null>([
      [REPORT, edited],
      ['filters/accounts.yaml', null],
      ['filters/new/added.yaml', 'kind: Filter\nname: added\nstart: hr500.employees AS e\noutput: [e.employee_id]\n'],
    ])
    const beforeCheck = snapshot(project.dir)
    // Whatever asks os.tmpdir() during the check gets this empty folder.
    const temporary = mkdtempSync(path.join(tmpdir(), 'provisio-overlay-tmp-'))
    const saved = process.env['TMPDIR']
    process.env['TMPDIR'] = temporary
    try {
      assert.equal(tmpdir(), temporary)
      const created = await createdDuring(temporary, async () => {
        const checked = await checkProject(project.dir, { files })
        assert.ok(checked.project.documents.some((d) => d.file === 'filters/new/added.yaml'))
        assert.ok(!checked.project.documents.some((d) => d.file === 'filters/accounts.yaml'))
      })
      assert.deepEqual(created, [])
    } finally {
      if (saved === undefined) delete process.env['TMPDIR']
      else process.env['TMPDIR'] = saved
      rmSync(temporary, { recursive: true, force: true })
    }
    assert.deepEqual(snapshot(project.dir), beforeCheck)
  })
})
