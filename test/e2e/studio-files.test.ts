/**
 * The Studio's Configuration page with a YAML file that does not parse: the file is listed with its
 * problem, an admin opens it whole, sees the error on its line, repairs it and saves, and the
 * document it holds appears among the documents. An auditor sees the same file read-only. A save
 * refused because the file changed on disk meanwhile keeps the edit (their version shown, Keep mine,
 * Load theirs after a confirmation), and a file deleted meanwhile offers the edited text for copying.
 * Screenshots: configuration-broken-file, configuration-file-editor, configuration-file-stale-save,
 * configuration-file-deleted.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { type StudioBed, startStudio, studioSkipReason } from '../support/studio.ts'

const skip = studioSkipReason()
if (skip !== undefined) console.log(`# ${skip}`)

const BROKEN = [
  '# Written by hand on the server; the output list is never closed.',
  'kind: Filter',
  'name: born_in',
  'description: Employees and their last name.',
  'start: hr500.employees AS e',
  'output: [e.employee_id, e.last_name',
  '',
].join('\n')

describe('Studio: a YAML file that does not parse', { skip }, () => {
  let studio: StudioBed
  let file: string
  before(async () => {
    studio = await startStudio()
    file = path.join(studio.server.dir, 'filters', 'broken.yaml')
    writeFileSync(file, BROKEN)
  })
  after(async () => {
    await studio?.close()
  })

  it('shows an auditor the broken file read-only', async () => {
    const page = await studio.open('auditor', '/documents')
    const files = page.getByRole('list', { name: 'Files with problems' })
    await files.getByText('filters/broken.yaml').waitFor()
    await page.getByRole('link', { name: 'View file filters/broken.yaml' }).click()
    const editor = page.getByLabel('File text')
    await editor.waitFor()
    assert.equal(await editor.getAttribute('readonly'), '')
    await page.getByText('read-only: only an admin changes configuration').waitFor()
    assert.equal(await page.getByRole('button', { name: 'Save file' }).count(), 0)
  })

  it('lets an admin repair it: listed, edited whole, saved, and its document appears', async () => {
    const page = await studio.open('admin', '/documents')
    const files = page.getByRole('list', { name: 'Files with problems' })
    await files.getByText('filters/broken.yaml').waitFor()
    await files.getByText('CFG_YAML_SYNTAX').first().waitFor()
    assert.equal(await page.getByRole('link', { name: 'born_in' }).count(), 0)
    await studio.screenshot(page, 'configuration-broken-file')

    await page.getByRole('link', { name: 'Edit file filters/broken.yaml' }).click()
    const editor = page.getByLabel('File text')
    await editor.waitFor()
    assert.equal(await editor.inputValue(), BROKEN)
    // The syntax error is marked on a line of the file, and Save waits for a text that brings no new error.
    await page.locator('.gutter-line.has-error').first().waitFor()
    await page
      .getByLabel('Check')
      .getByText(/1 error/)
      .waitFor()
    assert.equal(await page.getByRole('button', { name: 'Save file' }).isDisabled(), true)
    await studio.screenshot(page, 'configuration-file-editor')

    await editor.fill(BROKEN.replace('e.last_name\n', 'e.last_name]\n'))
    await page.getByLabel('Check').getByText('valid', { exact: true }).waitFor()
    await page.getByRole('button', { name: 'Save file' }).click()
    const saved = page.getByRole('status').filter({ hasText: 'Saved filters/broken.yaml' })
    await saved.waitFor()
    assert.match(readFileSync(file, 'utf8'), /e\.last_name\]\n/)

    await saved.getByRole('link', { name: 'Filter born_in' }).click()
    await page.getByRole('heading', { name: 'born_in', level: 1 }).waitFor()
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Configuration' }).click()
    await page.getByRole('link', { name: 'born_in' }).waitFor()
    assert.equal(await page.getByRole('list', { name: 'Files with problems' }).count(), 0)
  })
  /** The edit the admin makes in the editor, and waits for its check to answer valid. */
  async function edit(page: Page, text: string): Promise<void> {
    await page.getByLabel('File text').fill(text)
    await page.getByLabel('Check').getByText('valid', { exact: true }).waitFor()
  }

  /** Opens `file` (project-relative) whole as the admin, once its check has answered. */
  async function openFile(file: string, badge: RegExp): Promise<Page> {
    const page = await studio.open('admin', `/documents/file?path=${encodeURIComponent(file)}`)
    await page.getByLabel('File text').waitFor()
    await page.getByLabel('Check').getByText(badge).waitFor()
    return page
  }

  // Its own document's name: the repaired born_in above holds the other.
  const STALE = BROKEN.replace('name: born_in', 'name: stale_probe')
  const MINE = STALE.replace('e.last_name\n', 'e.last_name]\n').replace(/^description: .*$/m, 'description: my repair.')
  const THEIR_LINE = '# Changed on the server while the admin was repairing it.'

  it('keeps a repair when the file changed on disk meanwhile: their version shown, Keep mine saves it', async () => {
    const stale = path.join(studio.server.dir, 'filters', 'stale.yaml')
    writeFileSync(stale, STALE)
    const page = await openFile('filters/stale.yaml', /1 error/)
    await edit(page, MINE)
    writeFileSync(stale, STALE.replace(/^# .*$/m, THEIR_LINE))

    await page.getByRole('button', { name: 'Save file' }).click()
    const alert = page.getByRole('alert')
    await alert.getByText('the file filters/stale.yaml was changed by someone else since you opened it').waitFor()
    await alert.getByText('SRV_STALE_REVISION').waitFor()
    // The edit stays, and saving again on the old revision would only be refused again.
    assert.equal(await page.getByLabel('File text').inputValue(), MINE)
    assert.equal(await page.getByRole('button', { name: 'Save file' }).isDisabled(), true)
    assert.equal(await page.getByRole('button', { name: /your edit is lost/ }).count(), 0)

    await alert.getByRole('button', { name: 'Show their version' }).click()
    const diff = page.getByRole('region', { name: 'Their version and your edit' })
    await diff.locator('tr.diff-remove', { hasText: THEIR_LINE }).waitFor()
    await diff.locator('tr.diff-add', { hasText: 'description: my repair.' }).waitFor()
    await studio.screenshot(page, 'configuration-file-stale-save')
    await alert.getByRole('button', { name: 'Their change' }).click()
    const theirChange = page.getByRole('region', { name: 'Their change since you opened it' })
    await theirChange.locator('tr.diff-add', { hasText: THEIR_LINE }).waitFor()

    await alert.getByRole('button', { name: 'Keep mine' }).click()
    await page.getByText('Your edit now applies to the file as it is now').waitFor()
    await page.getByLabel('Check').getByText('valid', { exact: true }).waitFor()
    await page.locator('button:enabled', { hasText: 'Save file' }).click()
    await page.getByRole('status').filter({ hasText: 'Saved filters/stale.yaml' }).waitFor()
    assert.equal(await page.getByRole('alert').count(), 0)
    assert.equal(readFileSync(stale, 'utf8'), MINE)
  })

  it('loads the file as it is now only after a confirmation, keeping the edit on Cancel', async () => {
    const stale = path.join(studio.server.dir, 'filters', 'stale.yaml')
    const page = await openFile('filters/stale.yaml', /^valid$/)
    const mine = MINE.replace('description: my repair.', 'description: my second edit.')
    const theirs = MINE.replace('description: my repair.', 'description: their edit on disk.')
    await edit(page, mine)
    writeFileSync(stale, theirs)

    await page.getByRole('button', { name: 'Save file' }).click()
    const alert = page.getByRole('alert')
    await alert.getByText('SRV_STALE_REVISION').waitFor()
    await alert.getByRole('button', { name: 'Load theirs' }).click()
    const confirm = alert.getByRole('group', { name: 'Confirm load theirs' })
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    assert.equal(await page.getByLabel('File text').inputValue(), mine)

    await alert.getByRole('button', { name: 'Load theirs' }).click()
    await confirm.getByRole('button', { name: 'Discard my edit' }).click()
    await page.getByText('Loaded the file as it is now; your edit was discarded.').waitFor()
    assert.equal(await page.getByLabel('File text').inputValue(), theirs)
    assert.equal(await page.getByRole('alert').count(), 0)
    // Their text is now the one read: Save waits for an edit, and the disk keeps their text.
    assert.equal(await page.getByRole('button', { name: 'Save file' }).isDisabled(), true)
    assert.equal(readFileSync(stale, 'utf8'), theirs)
  })

  it('offers the edited text for copying when the file was deleted meanwhile', async () => {
    const stale = path.join(studio.server.dir, 'filters', 'stale.yaml')
    const page = await openFile('filters/stale.yaml', /^valid$/)
    const mine = readFileSync(stale, 'utf8').replace(/^description: .*$/m, 'description: edited, then deleted.')
    await edit(page, mine)
    unlinkSync(stale)

    await page.getByRole('button', { name: 'Save file' }).click()
    const alert = page.getByRole('alert')
    await alert.getByText('the file filters/stale.yaml was deleted by someone else since you opened it').waitFor()
    await alert.getByText('SRV_FILE_NOT_FOUND').waitFor()
    assert.equal(await page.getByRole('button', { name: 'Save file' }).isDisabled(), true)
    // The text is there to copy, read-only and selected (Ctrl+C copies it at once).
    const copy = alert.getByLabel('Your text')
    assert.equal(await copy.inputValue(), mine)
    assert.equal(await copy.getAttribute('readonly'), '')
    const selected = await copy.evaluate((el) => {
      // The page's own objects (the test is compiled without the DOM's types).
      const area = el as unknown as { selectionStart: number; selectionEnd: number }
      const page = globalThis as unknown as { document: { activeElement: unknown } }
      return { focused: page.document.activeElement === el, from: area.selectionStart, to: area.selectionEnd }
    })
    assert.deepEqual(selected, { focused: true, from: 0, to: mine.length })
    await studio.screenshot(page, 'configuration-file-deleted')
    await alert.getByRole('button', { name: 'Copy my text' }).click()
    // Copied, or (a browser that does not let the page write the clipboard) selected for Ctrl+C.
    await alert
      .getByRole('status')
      .getByText(/^Copied\.$|press Ctrl\+C/)
      .waitFor()
    assert.equal(existsSync(stale), false)

    await alert.getByRole('link', { name: 'Back to the list' }).click()
    await page.getByRole('heading', { name: 'Configuration', level: 1 }).waitFor()
  })
})
