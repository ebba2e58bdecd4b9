/**
 * The change of one's own password (POST /api/session/password): it checks the current one, so it
 * is rate-limited like the login (otherwise a stolen session could guess its user's password at full
 * speed), and it ends the user's sessions on other devices, keeping the one it was made in.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addUser } from '../../src/server/index.ts'
import { type TestServer, createTestServer, sessionCookieOf } from '../support/server.ts'
import { VAULT_KINDS } from '../support/vaults.ts'

for (const kind of VAULT_KINDS) {
  describe(`password change rate limit (${kind} vault)`, () => {
    let server: TestServer
    // The test server logs in one user per role: the login limit must let those through.
    before(async () => {
      server = await createTestServer(kind, { loginRateLimit: { max: 3, windowMs: 60_000 } })
    })
    after(() => server.close())

    it('refuses guesses of the current password past the limit, even the right one', async () => {
      const change = (current: string) =>
        server.as('auditor').post('/api/session/password', { current, new: 'auditors-new-password' })
      for (let i = 0; i < 3; i++) {
        const wrong = await change(`guess-number-${i}`)
        assert.deepEqual([wrong.status, wrong.json.error.code], [403, 'SRV_WRONG_PASSWORD'])
      }
      const limited = await change('auditor-password-for-tests')
      assert.equal(limited.status, 429, limited.body)
      assert.equal(limited.json.error.code, 'SRV_RATE_LIMITED')
      assert.ok(limited.headers['retry-after'] !== undefined)
      assert.equal((await server.as('auditor').get('/api/session')).status, 200, 'the other routes go on')
    })
  })

  describe(`password change and sessions (${kind} vault)`, () => {
    let server: TestServer
    before(async () => {
      server = await createTestServer(kind)
    })
    after(() => server.close())

    it("ends the user's sessions on other devices, keeps this one, and leaves other users alone", async () => {
      const password = 'ivans-first-password'
      await addUser(server.ctx.db, server.ctx.clock, 'test', { name: 'ivan', role: 'operator', password })
      const login = async () => {
        const answer = await server.as('anonymous').post('/api/session', { name: 'ivan', password })
        assert.equal(answer.status, 200, answer.body)
        return { session: sessionCookieOf(answer.headers)!, csrf: answer.json.csrfToken as string }
      }
      const [here, there] = [await login(), await login()]
      const changed = await server
        .as(here)
        .post('/api/session/password', { current: password, new: 'ivans-second-password' })
      assert.equal(changed.status, 200, changed.body)
      assert.equal((await server.as(here).get('/api/session')).status, 200)
      assert.equal((await server.as(there).get('/api/session')).status, 401)
      assert.equal((await server.as('operator').get('/api/session')).status, 200)
    })
  })
}
