/**
 * The Users page of an admin: a role changed, a user disabled and enabled, a password reset to a
 * one-time password shown once, and the user's first login with it ending at the change form.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type StudioBed, startStudio, studioSkipReason } from '../support/studio.ts'

const skip = studioSkipReason()
if (skip !== undefined) console.log(`# ${skip}`)

describe('Studio: users', { skip }, () => {
  let studio: StudioBed
  before(async () => {
    studio = await startStudio()
  })
  after(async () => {
    await studio?.close()
  })

  it('changes a role, disables, enables and resets a password; the user must choose a new one', async () => {
    const page = await studio.open('admin', '/users')
    const users = page.getByRole('table', { name: 'Users' })
    const auditor = users.getByRole('row').filter({ hasText: 'auditor' }).first()
    await auditor.waitFor()
    const patched = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.url().endsWith('/api/users/operator'),
    )
    await page.getByLabel('Role of operator').selectOption('auditor')
    assert.equal((await patched).status(), 200)
    const listed = (await studio.server.as('admin').get('/api/users')).json.users
    assert.equal(listed.find((u: { name: string }) => u.name === 'operator').role, 'auditor')

    await auditor.getByRole('button', { name: 'Disable' }).click()
    await auditor.getByText('disabled', { exact: true }).waitFor()
    await auditor.getByRole('button', { name: 'Enable' }).click()
    await auditor.getByText('active', { exact: true }).waitFor()

    await auditor.getByRole('button', { name: 'Reset password' }).click()
    const secret = page.getByLabel('One-time password of auditor value')
    await secret.waitFor()
    const password = (await secret.textContent()) ?? ''
    assert.ok(password.length >= 12)
    await auditor.getByText('one-time password').waitFor()

    const login = await studio.loginPage()
    await login.getByLabel('User name').fill('auditor')
    await login.getByLabel('Password').fill(password)
    await login.getByRole('button', { name: 'Log in' }).click()
    await login.getByRole('form', { name: 'Change password' }).waitFor()
    await login.getByLabel('One-time password').fill(password)
    await login.getByLabel('New password', { exact: true }).fill('auditors-own-password')
    await login.getByLabel('New password again').fill('auditors-own-password')
    await login.getByRole('button', { name: 'Change password' }).click()
    await login.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Runs' }).waitFor()
  })
})
