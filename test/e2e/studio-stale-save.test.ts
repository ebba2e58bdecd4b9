/**
 * The editor after a save refused because someone else changed the project meanwhile (409), in a
 * real browser: the notice, their version compared with the edit, "Keep mine" saving the edit on the
 * current revision, "Load theirs" after a confirmation, an edit elsewhere in the project, and a
 * document deleted meanwhile created again with the edited text. The other admin is the test,
 * editing through the API. Screenshot: editor-stale-save. The line diff itself is tested first.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { lineDiff, withContext } from '../../web/src/components/line-diff.ts'
import { type StudioBed, startStudio, studioSkipReason } from '../support/studio.ts'

const skip = studioSkipReason()
if (skip !== undefined) console.log(`# ${skip}`)

const ops = (before: string, after: string) =>
  lineDiff(before, after).map((line) => `${{ same: ' ', remove: '-', add: '+' }[line.op]}${line.text}`)

describe('lineDiff', () => {
  it('marks the lines only in the first text and only in the second, in order, with their numbers', () => {
    assert.deepEqual(ops('a\nb\nc\nd\n', 'a\nB\nc\nd\ne\n'), [' a', '-b', '+B', ' c', ' d', '+e'])
    assert.deepEqual(ops('x\ny', 'x\ny\n'), [' x', ' y'])
    assert.deepEqual(ops('', 'a'), ['-', '+a'])
    const lines = lineDiff('k: 1\nm: 2\nn: 3\n', 'k: 1\nn: 3\nm: 2\n')
    assert.deepEqual(
      lines.map((l) => [l.op, l.before, l.after]),
      [
        ['same', 1, 1],
        ['remove', 2, undefined],
        ['same', 3, 2],
        ['add', undefined, 3],
      ],
    )
  })

  it('folds long unchanged runs around the changes', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n')
    const after = before.replace('line 10', 'line ten')
    const shown = withContext(lineDiff(before, after), 2)
    assert.deepEqual(
      shown.map((l) => (l.op === 'skip' ? `skip ${l.lines}` : l.op)),
      ['skip 7', 'same', 'same', 'remove', 'add', 'same', 'same', 'skip 8'],
    )
  })
})

const DESCRIPTION = /^description: .*$/m

describe('Studio: a save after someone else changed the document', { skip }, () => {
  let studio: StudioBed
  before(async () => {
    studio = await startStudio()
  })
  after(async () => {
    await studio?.close()
  })

  /** The document open in the editor, checked, with its text as the page read it. */
  async function openDocument(page: Page): Promise<string> {
    await page.getByLabel('Check').getByText('valid', { exact: true }).waitFor()
    return page.getByLabel('YAML source').inputValue()
  }

  /** Types `text` into the editor and waits until its check answers valid. */
  async function edit(page: Page, text: string): Promise<void> {
    await page.getByLabel('YAML source').fill(text)
    await page.getByLabel('Check').getByText('valid', { exact: true }).waitFor()
  }

  /** The test, as another admin, changes a document through the API. */
  async function changeElsewhere(kind: string, name: string, change: (source: string) => string): Promise<void> {
    const admin = studio.server.as('admin')
    const current = await admin.get(`/api/documents/${kind}/${name}`)
    assert.equal(current.status, 200, current.body)
    const changed = await admin.put(`/api/documents/${kind}/${name}`, {
      source: change(current.json.source),
      revision: current.json.revision,
    })
    assert.equal(changed.status, 200, changed.body)
  }

  it('shows their version beside the edit, and Keep mine saves the edit on the current revision', async () => {
    const page = await studio.open('admin', '/documents/Filter/current_employees')
    const source = await openDocument(page)
    await edit(page, source.replace(DESCRIPTION, 'description: changed here'))
    await changeElsewhere('Filter', 'current_employees', (text) =>
      text.replace(DESCRIPTION, 'description: changed elsewhere'),
    )

    await page.getByRole('button', { name: 'Save' }).click()
    const alert = page.getByRole('alert')
    await alert.getByText('was changed by someone else since you opened it').waitFor()
    await alert.getByText('SRV_STALE_REVISION').waitFor()
    // Saving again on the old revision would only be refused again: the notice's choices come first.
    assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true)
    assert.match(await page.getByLabel('YAML source').inputValue(), /changed here/)

    const show = alert.getByRole('button', { name: 'Show their version' })
    await show.click()
    const diff = page.getByRole('region', { name: 'Their version and your edit' })
    await diff.locator('tr.diff-remove', { hasText: 'description: changed elsewhere' }).waitFor()
    await diff.locator('tr.diff-add', { hasText: 'description: changed here' }).waitFor()
    assert.equal(await alert.getByRole('button', { name: 'Hide their version' }).getAttribute('aria-expanded'), 'true')
    await studio.screenshot(page, 'editor-stale-save')
    await alert.getByRole('button', { name: 'Their change' }).click()
    const theirChange = page.getByRole('region', { name: 'Their change since you opened it' })
    await theirChange.locator('tr.diff-add', { hasText: 'description: changed elsewhere' }).waitFor()

    await alert.getByRole('button', { name: 'Keep mine' }).click()
    await page.getByText('Your edit now applies to the current configuration revision').waitFor()
    const save = page.locator('button:enabled', { hasText: 'Save' })
    await save.click()
    await page.getByText(/^Saved Filter current_employees to /).waitFor()
    assert.equal(await page.getByRole('alert').count(), 0)

    const saved = await studio.server.as('admin').get('/api/documents/Filter/current_employees')
    assert.match(saved.json.source, /description: changed here/)
    const file = readFileSync(path.join(studio.server.dir, saved.json.file), 'utf8')
    assert.match(file, /description: changed here/)
    assert.doesNotMatch(file, /changed elsewhere/)
  })

  it('loads their version after a confirmation, keeping the edit on Cancel', async () => {
    const page = await studio.open('admin', '/documents/Filter/surname_changed')
    const source = await openDocument(page)
    await edit(page, source.replace(DESCRIPTION, 'description: my edit'))
    await changeElsewhere('Filter', 'surname_changed', (text) => text.replace(DESCRIPTION, 'description: their edit'))
    await page.getByRole('button', { name: 'Save' }).click()
    const alert = page.getByRole('alert')
    await alert.getByText('SRV_STALE_REVISION').waitFor()

    await alert.getByRole('button', { name: 'Load theirs' }).click()
    const confirm = alert.getByRole('group', { name: 'Confirm load theirs' })
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    assert.match(await page.getByLabel('YAML source').inputValue(), /description: my edit/)

    await alert.getByRole('button', { name: 'Load theirs' }).click()
    await confirm.getByRole('button', { name: 'Discard my edit' }).click()
    await page.getByText('Loaded their version of Filter surname_changed').waitFor()
    assert.match(await page.getByLabel('YAML source').inputValue(), /description: their edit/)
    assert.equal(await page.getByRole('alert').count(), 0)
    // Their text is now the one opened: Save waits for an edit.
    assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true)
  })

  it('tells an edit of another document apart, and saves on the current revision', async () => {
    const page = await studio.open('admin', '/documents/Filter/leavers_with_account')
    const source = await openDocument(page)
    await edit(page, source.replace(DESCRIPTION, 'description: leavers, edited'))
    await changeElsewhere('Filter', 'surname_changed', (text) =>
      text.replace(DESCRIPTION, 'description: another document changed'),
    )
    await page.getByRole('button', { name: 'Save' }).click()
    const alert = page.getByRole('alert')
    await alert.getByText('though not this document').waitFor()
    await alert.getByRole('button', { name: 'Keep mine' }).click()
    await page.locator('button:enabled', { hasText: 'Save' }).click()
    await page.getByText(/^Saved Filter leavers_with_account to /).waitFor()
    const saved = await studio.server.as('admin').get('/api/documents/Filter/leavers_with_account')
    assert.match(saved.json.source, /description: leavers, edited/)
  })

  it('creates a document deleted meanwhile again with the edited text', async () => {
    const admin = studio.server.as('admin')
    const created = await admin.post('/api/documents', {
      source:
        'kind: Filter\nname: stale_probe\ndescription: A filter to delete.\nstart: hr500.employees AS e\noutput: [e.employee_id]\n',
    })
    assert.equal(created.status, 201, created.body)
    const page = await studio.open('admin', '/documents/Filter/stale_probe')
    const source = await openDocument(page)
    await edit(page, source.replace(DESCRIPTION, 'description: kept after a delete'))
    const deleted = await admin.delete('/api/documents/Filter/stale_probe')
    assert.equal(deleted.status, 200, deleted.body)

    await page.getByRole('button', { name: 'Save' }).click()
    const alert = page.getByRole('alert')
    await alert.getByText('was deleted by someone else since you opened it').waitFor()
    await alert.getByRole('link', { name: 'Back to the list' }).waitFor()
    assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true)
    await alert.locator('button:enabled', { hasText: 'Create it again with my text' }).click()
    await page.getByText(/^Created Filter stale_probe again in filters\/stale_probe\.yaml/).waitFor()
    assert.equal(await page.getByRole('alert').count(), 0)

    const again = await admin.get('/api/documents/Filter/stale_probe')
    assert.equal(again.status, 200, again.body)
    assert.match(again.json.source, /description: kept after a delete/)
    assert.equal(again.json.file, created.json.document.file)
  })
})
