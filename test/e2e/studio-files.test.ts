/**
 * The Studio's Configuration page with a YAML file that does not parse: the file is listed with its
 * problem, an admin opens it whole, sees the error on its line, repairs it and saves, and the
 * document it holds appears among the documents. An auditor sees the same file read-only.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
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
})
