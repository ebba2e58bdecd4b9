/**
 * The Studio's frame in a real browser: logging in through the form (a wrong password says so),
 * the menu by role (only an admin sees Users), addresses that survive a reload, logging out.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type StudioBed, startStudio, studioSkipReason } from '../support/studio.ts'
import { testPassword } from '../support/server.ts'

const skip = studioSkipReason()
if (skip !== undefined) console.log(`# ${skip}`)

describe('Studio frame', { skip }, () => {
  let studio: StudioBed
  before(async () => {
    studio = await startStudio()
  })
  after(async () => {
    await studio?.close()
  })

  it('logs in through the form, refusing a wrong password with the server’s message', async () => {
    const page = await studio.loginPage()
    await page.getByLabel('User name').fill('admin')
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('alert').getByText('SRV_', { exact: false }).waitFor()
    await studio.screenshot(page, 'login')
    await page.getByLabel('Password').fill(testPassword('admin'))
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Users' }).waitFor()
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByText('You are logged out.').waitFor()
  })

  it('shows an auditor the menu without Users, and keeps the address on reload', async () => {
    const page = await studio.open('auditor', '/runs')
    const menu = page.getByRole('navigation', { name: 'Main menu' })
    await menu.getByRole('link', { name: 'Runs' }).waitFor()
    assert.equal(await menu.getByRole('link', { name: 'Users' }).count(), 0)
    await page.reload()
    await menu.getByRole('link', { name: 'Runs' }).waitFor()
    assert.match(page.url(), /\/runs$/)
  })
})
