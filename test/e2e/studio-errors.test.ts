/**
 * The Studio when things go wrong, and its editor under the keyboard: an unreachable server, a save
 * refused because the document changed meanwhile (409) or its text is invalid (422), a session ended
 * in another tab, the one-time password flow leaving no password in the address, storage or console;
 * Tab and Shift+Tab on lines of the editor, and the line numbers staying beside their lines.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { type StudioBed, startStudio, studioSkipReason } from '../support/studio.ts'
import { testPassword } from '../support/server.ts'

const skip = studioSkipReason()
if (skip !== undefined) console.log(`# ${skip}`)

/** The little of the DOM these tests touch inside the page (the tests' tsconfig has no DOM library). */
interface Box {
  readonly top: number
}
interface Area {
  value: string
  scrollTop: number
  readonly scrollHeight: number
  setSelectionRange(start: number, end: number): void
  dispatchEvent(event: unknown): boolean
  getBoundingClientRect(): Box
  readonly parentElement: { querySelectorAll(selector: string): ArrayLike<{ getBoundingClientRect(): Box }> }
}
interface InPage {
  getComputedStyle(element: unknown): { lineHeight: string; paddingTop: string; fontSize: string }
  Event: new (type: string) => unknown
  localStorage: object
  sessionStorage: object
}

/** Everything the page logs on its console. */
function consoleOf(page: Page): string[] {
  const lines: string[] = []
  page.on('console', (message) => lines.push(message.text()))
  return lines
}

describe('Studio errors, session and editor', { skip }, () => {
  let studio: StudioBed
  before(async () => {
    studio = await startStudio()
  })
  after(async () => {
    await studio?.close()
  })

  it('shows an unreachable server with its code and hint, on a loaded page and on one never opened', async () => {
    const page = await studio.open('operator', '/runs')
    await page.getByRole('heading', { name: 'Runs' }).waitFor()
    await page.locator('button:enabled', { hasText: 'Refresh' }).waitFor()
    await page.context().setOffline(true)
    await page.getByRole('button', { name: 'Refresh' }).click()
    let alert = page.getByRole('alert')
    await alert.getByText('NETWORK').waitFor()
    await alert.getByText('The server cannot be reached.').waitFor()
    await alert.getByText('provisio serve').waitFor()
    // A page whose module was never loaded: an error in place of the page, the menu still there.
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Audit' }).click()
    alert = page.getByRole('alert')
    await alert.getByText('This page could not be loaded.').waitFor()
    await page.context().setOffline(false)
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Runs' }).click()
    await page.getByRole('button', { name: 'Refresh' }).click()
    await page.getByRole('alert').waitFor({ state: 'detached' })
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Audit' }).click()
    await alert.getByRole('button', { name: 'Reload' }).click()
    await page.getByRole('heading', { name: 'Audit', level: 1 }).waitFor()
  })

  it('refuses a save of a document changed meanwhile (409) with code and hint, and keeps the edit', async () => {
    const page = await studio.open('admin', '/documents/Filter/current_employees')
    const editor = page.getByLabel('YAML source')
    await page.getByLabel('Check').getByText('valid').waitFor()
    const source = await editor.inputValue()
    // Another admin changes the same document through the API.
    const changed = await studio.server.as('admin').put('/api/documents/Filter/current_employees', {
      source: source.replace(/^description: .*$/m, 'description: changed elsewhere'),
    })
    assert.equal(changed.status, 200, changed.body)
    await editor.fill(source.replace(/^description: .*$/m, 'description: changed here'))
    await page.getByLabel('Check').getByText('valid', { exact: true }).waitFor()
    await page.getByRole('button', { name: 'Save' }).click()
    const alert = page.getByRole('alert')
    await alert.getByText('Not saved').waitFor()
    await alert.getByText('SRV_STALE_REVISION').waitFor()
    assert.ok((await alert.locator('.hint').textContent())!.length > 10)
    assert.match(await editor.inputValue(), /changed here/)
  })

  it('keeps Save disabled until the typed text is checked, and marks errors in place', async () => {
    const page = await studio.open('admin', '/documents/Filter/current_employees')
    const editor = page.getByLabel('YAML source')
    await page.getByLabel('Check').getByText('valid').waitFor()
    const source = await editor.inputValue()
    await editor.fill(`${source}\nnot_a_field: 1\n`)
    // Until the check answers for this very text, Save cannot send it.
    assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true)
    await page.getByLabel('Check').getByText(/error/).waitFor()
    assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true)
    await page.locator('.gutter-line.has-error').first().waitFor()
  })

  it('indents with Tab and Shift+Tab, one line or several, and keeps line numbers beside their lines', async () => {
    const page = await studio.open('admin', '/documents/new?kind=Filter')
    const editor = page.getByLabel('YAML source')
    await editor.fill('a: 1\nb: 2\nc: 3')
    await editor.evaluate((el, range) => (el as unknown as Area).setSelectionRange(range[0], range[1]), [0, 0] as const)
    await editor.press('Tab')
    assert.equal(await editor.inputValue(), '  a: 1\nb: 2\nc: 3')
    // Lines 1 to 2 selected: each is indented, none replaced.
    await editor.evaluate((el, range) => (el as unknown as Area).setSelectionRange(range[0], range[1]), [
      0, 11,
    ] as const)
    await editor.press('Tab')
    assert.equal(await editor.inputValue(), '    a: 1\n  b: 2\nc: 3')
    await editor.evaluate((el) => (el as unknown as Area).setSelectionRange(0, (el as unknown as Area).value.length))
    await editor.press('Shift+Tab')
    assert.equal(await editor.inputValue(), '  a: 1\nb: 2\nc: 3')

    // A long text with a long line (a horizontal scroll bar), scrolled to its end: the last number
    // is level with the last line.
    const lines = Array.from({ length: 120 }, (_, i) => `line_${i + 1}: ${'x'.repeat(i === 5 ? 400 : 10)}`)
    await editor.fill(lines.join('\n'))
    const drift = await editor.evaluate((element) => {
      const el = element as unknown as Area
      const page = globalThis as unknown as InPage
      el.scrollTop = el.scrollHeight
      el.dispatchEvent(new page.Event('scroll'))
      const style = page.getComputedStyle(el)
      const lineHeight = parseFloat(style.lineHeight)
      const lastLineTop =
        el.getBoundingClientRect().top + parseFloat(style.paddingTop) + 119 * lineHeight - el.scrollTop
      const numbers = el.parentElement.querySelectorAll('.gutter .gutter-line')
      const fontSizes = [page.getComputedStyle(numbers[0]!).fontSize, style.fontSize]
      return { px: Math.abs(numbers[119]!.getBoundingClientRect().top - lastLineTop), fontSizes }
    })
    assert.equal(drift.fontSizes[0], drift.fontSizes[1])
    assert.ok(drift.px < 2, `the last line number is ${drift.px}px off its line`)
  })

  it('returns to the login form with a notice when the session ends in another tab', async () => {
    const page = await studio.open('operator', '/runs')
    await page.getByRole('heading', { name: 'Runs' }).waitFor()
    const other = await page.context().newPage()
    await other.goto('/')
    await other.getByRole('button', { name: 'Log out' }).click()
    await other.getByText('You are logged out.').waitFor()
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Jobs and tasks' }).click()
    await page.getByText('Your session ended; log in again.').waitFor()
    await page.getByRole('form', { name: 'Log in' }).waitFor()
  })

  it('takes a user with a one-time password through the change form, keeping passwords out of address, storage and console', async () => {
    const added = await studio.server.as('admin').post('/api/users', { name: 'newcomer', role: 'auditor' })
    assert.equal(added.status, 201, added.body)
    const oneTime: string = added.json.password
    const page = await studio.loginPage()
    const logged = consoleOf(page)
    await page.getByLabel('User name').fill('newcomer')
    await page.getByLabel('Password').fill(oneTime)
    await page.getByLabel('Password').press('Enter')
    await page.getByRole('form', { name: 'Change password' }).waitFor()
    await page.getByLabel('One-time password').fill(oneTime)
    await page.getByLabel('New password', { exact: true }).fill('newcomers-own-password')
    await page.getByLabel('New password again').fill('newcomers-own-password')
    await page.getByLabel('New password again').press('Enter')
    await page.getByRole('navigation', { name: 'Main menu' }).waitFor()
    assert.equal(await page.getByRole('navigation', { name: 'Main menu' }).getByText('newcomer').count(), 1)
    const storage = await page.evaluate(() => {
      const inside = globalThis as unknown as InPage
      return JSON.stringify({ ...inside.localStorage }) + JSON.stringify({ ...inside.sessionStorage })
    })
    for (const secret of [oneTime, 'newcomers-own-password', testPassword('auditor')]) {
      assert.ok(!page.url().includes(secret), 'a password in the address')
      assert.ok(!storage.includes(secret), 'a password in the browser storage')
      assert.ok(!logged.some((line) => line.includes(secret)), 'a password on the console')
    }
  })
})
