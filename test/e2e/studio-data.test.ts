/**
 * The Studio's data pages in a real browser: the systems and one system's page (check its
 * connection, collect it and see what each table gained), browsing a vault table with an expression
 * filter, sorting and a row's history, a link's match report, adding a CSV system through the Add
 * system form (a validation error in place, fixed, created, collected), the Configuration page and
 * its editor, and an auditor who sees no button that changes or runs anything.
 */
import assert from 'node:assert/strict'
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type StudioBed, startStudio, studioSkipReason } from '../support/studio.ts'

const skip = studioSkipReason()
if (skip !== undefined) console.log(`# ${skip}`)

describe('Studio data pages', { skip }, () => {
  let studio: StudioBed
  before(async () => {
    studio = await startStudio()
  })
  after(async () => {
    await studio?.close()
  })

  it('lists the systems, checks the connection of hr500 and collects it, with counts per table', async () => {
    const page = await studio.open('admin', '/systems')
    const systems = page.getByRole('table', { name: 'Systems' })
    await systems.getByRole('link', { name: 'hr500' }).waitFor()
    await systems.getByRole('link', { name: 'directory' }).waitFor()
    await systems.getByText('not collected').first().waitFor()
    await studio.screenshot(page, 'systems')

    await systems.getByRole('link', { name: 'hr500' }).click()
    await page.getByRole('heading', { name: 'hr500', level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Check connection' }).click()
    await page.getByText('Connection works.').waitFor()

    await page.getByRole('button', { name: 'Collect', exact: true }).click()
    const collected = page.getByRole('table', { name: 'Collected tables' })
    await collected.waitFor()
    const employees = collected.getByRole('row').filter({ hasText: 'employees' })
    // HR500 has 585 employees: all added by the first collection.
    assert.deepEqual(await employees.getByRole('cell').allInnerTexts(), [
      'employees',
      '0',
      '585',
      '585',
      '0',
      '0',
      'full',
    ])
    await page.getByRole('table', { name: 'Recent collections' }).getByText('succeeded').waitFor()
    await page.getByRole('button', { name: 'Discover what the system offers' }).click()
    await page
      .getByRole('table', { name: 'Columns of employees' })
      .getByRole('columnheader', { name: 'In the system' })
      .waitFor()
    await studio.screenshot(page, 'system')
  })

  it('browses a vault table with an expression filter and sorting, and shows a row’s history', async () => {
    const page = await studio.open('admin', '/systems/hr500/tables/employees')
    const rows = page.getByRole('table', { name: 'Rows of hr500.employees' })
    await rows.waitFor()
    await page.getByText(/Rows 1–50 of 585/).waitFor()
    await page.getByRole('button', { name: 'Next ›' }).first().click()
    await page.getByText(/Rows 51–100 of 585/).waitFor()
    await page.getByRole('button', { name: '‹ Previous' }).first().click()
    await page.getByText(/Rows 1–50 of 585/).waitFor()

    await page.getByLabel('Filter (an expression over the columns)').fill("city = 'Rotterdam'")
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByText(/Rows 1–26 of 26 where/).waitFor()
    await rows.getByRole('button', { name: /^last_name/ }).click()
    await page.getByText('sorted by last_name ascending').waitFor()
    const cities = await rows.locator('tbody tr td:nth-child(11)').allInnerTexts()
    assert.deepEqual(new Set(cities), new Set(['Rotterdam']))
    const names = await rows.locator('tbody tr td:nth-child(5)').allInnerTexts()
    assert.deepEqual(
      names,
      [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    )
    await rows.getByRole('button', { name: /^last_name/ }).click()
    await page.getByText('sorted by last_name descending').waitFor()

    // A bad expression is the server's error with its code, in place of the rows.
    await page.getByLabel('Filter (an expression over the columns)').fill("town = 'Rotterdam'")
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByRole('alert').getByText('VLT_INVALID_CONDITION').waitFor()
    await page.getByLabel('Filter (an expression over the columns)').fill("city = 'Rotterdam'")
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByText(/Rows 1–26 of 26 where/).waitFor()

    const first = rows.locator('tbody tr').first()
    const key = (await first.locator('td').first().innerText()).trim()
    await first.click()
    const history = page.getByRole('region', { name: `History of ${key}` })
    await history.getByText('added', { exact: true }).waitFor()
    await history.getByRole('cell', { name: 'Rotterdam' }).waitFor()
    await studio.screenshot(page, 'vault-table')
  })

  it('shows a link’s match with left-only, common and right-only tabs', async () => {
    const collect = await studio.server.as('admin').post('/api/systems/directory/collect')
    assert.equal(collect.status, 200, collect.body)
    const page = await studio.open('admin', '/links')
    await page.getByRole('table', { name: 'Links' }).getByRole('link', { name: 'employee_account' }).click()
    const common = page.getByRole('tab', { name: /^Common \(\d+\)$/ })
    await common.waitFor()
    const left = page.getByRole('tab', { name: /^Only left \(\d+\)$/ })
    const right = page.getByRole('tab', { name: /^Only right \(\d+\)$/ })
    const count = async (tab: typeof left) => Number((await tab.innerText()).replace(/\D/g, ''))
    assert.ok((await count(common)) > 0)
    await left.click()
    await page
      .getByRole('tabpanel')
      .getByText(/without a match in directory/)
      .waitFor()
    await common.click()
    await page.getByRole('table', { name: 'Common rows' }).waitFor()
    await right.click()
    await page.getByRole('tabpanel').getByText(/hr500/).waitFor()
    await left.click()
    await studio.screenshot(page, 'links')
  })

  it('adds a CSV system through the form: an error in place, fixed, created, collected and listed', async () => {
    const folder = path.join(studio.server.dir, 'files', 'badges')
    mkdirSync(folder, { recursive: true })
    writeFileSync(
      path.join(folder, 'badges.csv'),
      'badge_id,holder,site\nB-001,10074093,Utrecht\nB-002,10075491,Haarlem\nB-003,,Utrecht\n',
    )

    const page = await studio.open('admin', '/systems')
    await page.getByRole('link', { name: 'Add system' }).click()
    await page.getByRole('heading', { name: 'Add system', level: 1 }).waitFor()
    await page.getByRole('radio', { name: /^CSV files/ }).check()
    await page.getByLabel('System name', { exact: true }).fill('badges')
    await page.getByLabel('Description', { exact: true }).fill('Access badges of the buildings.')
    await page.getByLabel('Folder', { exact: true }).fill('files/badges')
    await page.getByLabel('First table', { exact: true }).fill('badges')
    await page.getByLabel('Columns', { exact: true }).fill('badge_id, holder, site')
    await page.getByRole('button', { name: 'Fill in the template' }).click()
    await studio.screenshot(page, 'system-add')
    const source = page.getByLabel('YAML source')
    await page.getByText('valid', { exact: true }).waitFor()
    const text = await source.inputValue()
    assert.match(text, /connector: csv/)
    assert.match(text, /folder: files\/badges/)

    // Without its required folder the document is invalid: the issue shows in place, Create is off.
    await source.fill(text.replace(/^ {2}folder:.*\n/m, ''))
    await page
      .getByRole('list', { name: 'Issues' })
      .getByText(/folder/)
      .waitFor()
    await page.locator('.gutter-line.has-error').first().waitFor()
    assert.equal(await page.getByRole('button', { name: 'Create' }).isDisabled(), true)
    await source.fill(text)
    await page.getByText('valid', { exact: true }).waitFor()
    await page.getByRole('button', { name: 'Create' }).click()

    await page.getByRole('heading', { name: 'badges', level: 1 }).waitFor()
    await page.getByText('System badges is added to the configuration.').waitFor()
    await page.getByRole('button', { name: 'Collect', exact: true }).click()
    const collected = page.getByRole('table', { name: 'Collected tables' })
    const row = collected.getByRole('row').filter({ hasText: 'badges' })
    await row.waitFor()
    assert.deepEqual((await row.getByRole('cell').allInnerTexts()).slice(0, 4), ['badges', '0', '3', '3'])

    // A check that fails says why and what to do: the folder moved away, then back.
    renameSync(folder, `${folder}-moved`)
    await page.getByRole('button', { name: 'Check connection' }).click()
    const failed = page.getByRole('alert').filter({ hasText: 'Connection failed' })
    await failed.getByText('CON_CSV_FOLDER_NOT_FOUND').waitFor()
    assert.notEqual(await failed.locator('.hint').innerText(), '')
    renameSync(`${folder}-moved`, folder)
    await page.getByRole('button', { name: 'Check connection' }).click()
    await page.getByText('Connection works.').waitFor()

    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Configuration' }).click()
    const systems = page.getByRole('table', { name: 'System documents' })
    await systems.getByRole('link', { name: 'badges' }).waitFor()
    await systems.getByRole('row').filter({ hasText: 'systems/badges.yaml' }).getByText('valid').waitFor()
    await studio.screenshot(page, 'documents')
  })

  it('edits a document with its issues in place and refuses to delete a referenced one', async () => {
    const page = await studio.open('admin', '/documents/Link/employee_account')
    await page.getByRole('heading', { name: 'employee_account', level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('button', { name: 'Yes, delete' }).click()
    await page.getByRole('alert').getByText('Link employee_account was not deleted').waitFor()

    await page.goto('/documents/Filter/current_employees')
    const source = page.getByLabel('YAML source')
    await page.getByText('valid', { exact: true }).waitFor()
    await source.fill((await source.inputValue()).replace('start: hr500.employees AS e', 'start: hr500.employes AS e'))
    await page
      .getByRole('list', { name: 'Issues' })
      .getByText(/employes/)
      .waitFor()
    await page.locator('.gutter-line.has-error').first().waitFor()
    assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true)
    await studio.screenshot(page, 'document-editor')

    await page.goto('/documents/new?kind=Link')
    await page.getByRole('heading', { name: 'New Link', level: 1 }).waitFor()
    assert.match(await page.getByLabel('YAML source').inputValue(), /^kind: Link\nname: new_link/)
    await page.getByRole('list', { name: 'Issues' }).waitFor()
  })

  it('shows an auditor no button that collects, checks, adds or saves', async () => {
    const page = await studio.open('auditor', '/systems')
    await page.getByRole('table', { name: 'Systems' }).getByRole('link', { name: 'hr500' }).click()
    await page.getByRole('heading', { name: 'hr500', level: 1 }).waitFor()
    await page.getByRole('table', { name: 'Tables in the vault' }).waitFor()
    assert.equal(await page.getByRole('button', { name: 'Collect', exact: true }).count(), 0)
    assert.equal(await page.getByRole('button', { name: 'Check connection' }).count(), 0)
    assert.equal(await page.getByRole('link', { name: 'Add system' }).count(), 0)
    await page.getByRole('main').getByRole('link', { name: 'Configuration' }).click()
    await page.getByText('read-only: only an admin changes configuration').waitFor()
    assert.equal(await page.getByRole('button', { name: 'Save' }).count(), 0)
    assert.equal(await page.getByRole('button', { name: 'Delete' }).count(), 0)
  })
})
