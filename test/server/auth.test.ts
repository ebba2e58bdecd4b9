/**
 * Authentication on both vaults: passwords, login, the session cookie, CSRF, session expiry, API
 * tokens, the login rate limit, the error shape and the admin audit, through the real server.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addUser, hashPassword, setDisabled, setPassword, verifyPassword } from '../../src/server/index.ts'
import { rejects } from '../support/errors.ts'
import { findUserByName, listAdminAudit, updateUser } from '../../src/vault/index.ts'
import { type TestServer, createTestServer, sessionCookieOf, testPassword } from '../support/server.ts'
import { VAULT_KINDS } from '../support/vaults.ts'

describe('passwords', () => {
  it('hashes with scrypt in the stored format and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery')
    assert.match(hash, /^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    assert.equal(await verifyPassword('correct horse battery', hash), true)
    assert.equal(await verifyPassword('correct horse batterY', hash), false)
    assert.notEqual(await hashPassword('correct horse battery'), hash, 'a fresh salt each time')
    assert.equal(await verifyPassword('x', 'bcrypt$whatever'), false)
  })
})

/** A clock the test moves forward. */
function steppingClock(start = Date.parse('2026-03-02T08:00:00Z')) {
  let now = start
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) }
}

for (const kind of VAULT_KINDS) {
  describe(`authentication (${kind} vault)`, () => {
    let server: TestServer
    const clock = steppingClock()
    before(async () => {
      // More logins than the default limit of 10 a minute: the limit has its own test below.
      server = await createTestServer(kind, { clock, loginRateLimit: { max: 100, windowMs: 60_000 } })
    })
    after(() => server.close())

    it('logs in with a HttpOnly, Secure, SameSite=Strict session cookie and answers the CSRF token', async () => {
      const answer = await server
        .as('anonymous')
        .post('/api/session', { name: 'Operator', password: testPassword('operator') })
      assert.equal(answer.status, 200, answer.body)
      assert.deepEqual(answer.json.user, { ...answer.json.user, name: 'operator', role: 'operator', via: 'session' })
      const cookie = String(answer.headers['set-cookie'])
      assert.match(cookie, /^provisio_session=[\w-]{43};/)
      for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/'])
        assert.ok(cookie.includes(attribute), cookie)
      const me = await server.as({ session: sessionCookieOf(answer.headers)! }).get('/api/session')
      assert.equal(me.json.csrfToken, answer.json.csrfToken)
    })

    it('refuses a wrong password, an unknown user and a disabled user alike', async () => {
      const wrong = await server.as('anonymous').post('/api/session', { name: 'admin', password: 'not-the-password' })
      const unknown = await server
        .as('anonymous')
        .post('/api/session', { name: 'nobody', password: 'whatever-password' })
      assert.deepEqual([wrong.status, unknown.status], [401, 401])
      assert.equal(wrong.json.error.code, 'SRV_LOGIN_FAILED')
      assert.deepEqual(wrong.json.error.message, unknown.json.error.message)
      const auditor = (await findUserByName(server.ctx.db, 'auditor'))!
      await updateUser(server.ctx.db, auditor.id, { disabled: true, at: clock.now().toISOString() })
      try {
        const disabled = await server
          .as('anonymous')
          .post('/api/session', { name: 'auditor', password: testPassword('auditor') })
        assert.equal(disabled.status, 401)
        assert.equal((await server.as('auditor').get('/api/session')).status, 401, 'its session ends too')
      } finally {
        await updateUser(server.ctx.db, auditor.id, { disabled: false, at: clock.now().toISOString() })
      }
    })

    it('requires the CSRF token for a changing request with a cookie, not for a bearer token', async () => {
      const { cookie, csrfToken } = server.session('admin')
      const none = await server.as({ session: cookie }).post('/api/tokens', { label: 'x' })
      const wrong = await server
        .as({ session: cookie, csrf: csrfToken.slice(1) + 'A' })
        .post('/api/tokens', { label: 'x' })
      assert.deepEqual([none.status, wrong.status], [403, 403])
      assert.equal(none.json.error.code, 'SRV_CSRF')
      const right = await server.as({ session: cookie, csrf: csrfToken }).post('/api/tokens', { label: 'ci' })
      assert.equal(right.status, 201, right.body)
      assert.match(right.json.token, /^pvt_[\w-]{43}$/)
      const viaToken = await server.as({ token: right.json.token }).post('/api/tokens', { label: 'second' })
      assert.equal(viaToken.status, 201, 'no CSRF token with a bearer token')
      const me = await server.as({ token: right.json.token }).get('/api/session')
      assert.deepEqual(me.json, {
        user: { ...me.json.user, name: 'admin', via: 'token' },
        csrfToken: null,
        mustChangePassword: false,
      })
    })

    it('stops accepting a revoked or expired token', async () => {
      const made = await server.as('operator').post('/api/tokens', {
        label: 'short',
        expiresAt: new Date(clock.now().getTime() + 3600_000).toISOString(),
      })
      assert.equal((await server.as({ token: made.json.token }).get('/api/tokens')).status, 200)
      clock.advance(3600_000)
      const expired = await server.as({ token: made.json.token }).get('/api/tokens')
      assert.equal(expired.status, 401)
      const other = await server.as('operator').post('/api/tokens', { label: 'revoked' })
      assert.equal((await server.as('auditor').delete(`/api/tokens/${other.json.id}`)).status, 404, "not another's")
      assert.equal((await server.as('operator').delete(`/api/tokens/${other.json.id}`)).status, 200)
      const revoked = await server.as({ token: other.json.token }).get('/api/tokens')
      assert.equal(revoked.status, 401)
      assert.equal(revoked.json.error.code, 'SRV_UNAUTHENTICATED')
      assert.equal((await server.as({ token: 'pvt_made-up' }).get('/api/health')).status, 401)
    })

    it('records logins, logouts, failures and token changes in the admin audit, without secrets', async () => {
      const audit = await server.as('auditor').get('/api/admin-audit?limit=1000')
      assert.equal(audit.status, 200)
      const actions = new Set(audit.json.events.map((e: { action: string }) => e.action))
      for (const action of ['login', 'login.failed', 'token.add', 'token.revoke', 'user.add'])
        assert.ok(actions.has(action), `${action} in ${[...actions].join(', ')}`)
      assert.ok(!audit.body.includes('pvt_') && !audit.body.includes('password-for-tests'))
    })

    it('answers every error as { error: { code, message, hint, details } } without a stack', async () => {
      const missing = await server.as('admin').get('/api/no/such/route')
      assert.equal(missing.status, 404)
      assert.deepEqual(Object.keys(missing.json.error).sort(), ['code', 'details', 'hint', 'message'])
      assert.equal(missing.json.error.code, 'SRV_NOT_FOUND')
      const invalid = await server.as('admin').post('/api/users', { name: 'x', role: 'king' })
      assert.equal(invalid.status, 400)
      assert.equal(invalid.json.error.code, 'SRV_INVALID_REQUEST')
      assert.equal(invalid.json.error.details.issues[0].path, 'role')
      const weak = await server.as('admin').post('/api/users', { name: 'x', role: 'auditor', password: 'short' })
      assert.deepEqual([weak.status, weak.json.error.code], [422, 'SRV_WEAK_PASSWORD'])
      const broken = await server.app.inject({
        method: 'POST',
        url: '/api/session',
        headers: { 'content-type': 'application/json' },
        payload: '{"name":',
      })
      assert.equal(broken.statusCode, 400)
      assert.equal(broken.json().error.code, 'SRV_INVALID_REQUEST')
      assert.ok(!broken.body.includes('    at '), 'no stack')
    })

    it('manages users as an admin, and never removes or demotes the last admin', async () => {
      const added = await server.as('admin').post('/api/users', { name: 'Carol', role: 'operator' })
      assert.equal(added.status, 201, added.body)
      assert.equal(added.json.password.length, 20)
      const twin = await server.as('admin').post('/api/users', { name: 'carol', role: 'operator' })
      assert.deepEqual([twin.status, twin.json.error.code], [409, 'SRV_USER_EXISTS'])
      const last = await server.as('admin').delete('/api/users/admin')
      assert.deepEqual([last.status, last.json.error.code], [409, 'SRV_LAST_ADMIN'])
      assert.equal((await server.as('admin').delete('/api/users/carol')).status, 200)
      const list = await server.as('admin').get('/api/users')
      assert.deepEqual(
        list.json.users.map((u: { name: string }) => u.name),
        ['admin', 'auditor', 'operator'],
      )
      assert.ok(!list.body.includes('scrypt'))
    })

    it('changes a role, disables and enables a user, and resets a password to a one-time one', async () => {
      const admin = server.as('admin')
      assert.equal((await admin.post('/api/users', { name: 'heidi', role: 'auditor' })).status, 201)
      const promoted = await admin.patch('/api/users/heidi', { role: 'operator' })
      assert.equal(promoted.status, 200, promoted.body)
      assert.equal(promoted.json.user.role, 'operator')
      assert.equal((await admin.patch('/api/users/heidi', {})).json.error.code, 'SRV_INVALID_REQUEST')
      assert.equal((await admin.patch('/api/users/heidi', { disabled: true })).json.user.disabled, true)
      assert.equal((await admin.patch('/api/users/heidi', { disabled: false })).json.user.disabled, false)
      const demoteLast = await admin.patch('/api/users/admin', { role: 'auditor' })
      assert.deepEqual([demoteLast.status, demoteLast.json.error.code], [409, 'SRV_LAST_ADMIN'])
      assert.equal((await admin.patch('/api/users/nobody', { role: 'auditor' })).status, 404)
      assert.equal((await server.as('operator').patch('/api/users/heidi', { role: 'admin' })).status, 403)

      const reset = await admin.post('/api/users/heidi/password')
      assert.equal(reset.status, 200, reset.body)
      const login = await server.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { name: 'heidi', password: reset.json.password },
      })
      assert.equal(login.statusCode, 200, login.body)
      assert.equal(login.json().mustChangePassword, true)
      const audit = await admin.get('/api/admin-audit?actor=admin')
      const actions = audit.json.events
        .filter((r: { subject?: string }) => r.subject === 'heidi')
        .map((r: { action: string }) => r.action)
      for (const action of ['user.role', 'user.disable', 'user.enable', 'user.passwd'])
        assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`)
      assert.ok(!audit.body.includes(reset.json.password))
      assert.equal((await admin.delete('/api/users/heidi')).status, 200)
    })

    it('disabling a user ends their sessions and stops their tokens; enabling lets them in again', async () => {
      const password = 'daves-password-123'
      await addUser(server.ctx.db, clock, 'test', { name: 'dave', role: 'operator', password })
      const login = () => server.as('anonymous').post('/api/session', { name: 'dave', password })
      const first = await login()
      const session = sessionCookieOf(first.headers)!
      const dave = { session, csrf: first.json.csrfToken as string }
      const token = (await server.as(dave).post('/api/tokens', { label: 'dave' })).json.token as string
      assert.equal((await server.as({ token }).get('/api/session')).status, 200)
      await setDisabled(server.ctx.db, clock, 'test', 'dave', true)
      assert.equal((await server.as(dave).get('/api/session')).status, 401)
      assert.equal((await server.as({ token }).get('/api/session')).status, 401)
      assert.equal((await login()).status, 401)
      await rejects(setDisabled(server.ctx.db, clock, 'test', 'admin', true), 'SRV_LAST_ADMIN')
      await setDisabled(server.ctx.db, clock, 'test', 'dave', false)
      assert.equal((await server.as(dave).get('/api/session')).status, 401, 'an ended session stays ended')
      assert.equal((await server.as({ token }).get('/api/session')).status, 200)
      const [last] = await listAdminAudit(server.ctx.db, { limit: 1 })
      assert.deepEqual([last?.action, last?.subject], ['user.enable', 'dave'])
    })

    it('holds a one-time password back from every API route until its user changes it', async () => {
      const oneTime = 'erins-one-time-pass'
      await addUser(server.ctx.db, clock, 'test', { name: 'erin', role: 'operator', password: oneTime, oneTime: true })
      const login = await server.as('anonymous').post('/api/session', { name: 'erin', password: oneTime })
      assert.equal(login.status, 200, login.body)
      assert.equal(login.json.mustChangePassword, true)
      const erin = { session: sessionCookieOf(login.headers)!, csrf: login.json.csrfToken as string }
      const me = await server.as(erin).get('/api/session')
      assert.deepEqual([me.status, me.json.mustChangePassword], [200, true])
      for (const answer of [
        await server.as(erin).get('/api/tokens'),
        await server.as(erin).post('/api/tokens', { label: 'too early' }),
      ]) {
        assert.equal(answer.status, 403, answer.body)
        assert.equal(answer.json.error.code, 'SRV_PASSWORD_CHANGE_REQUIRED')
        assert.match(answer.json.error.hint, /POST \/api\/session\/password/)
      }
      const change = (body: object) => server.as(erin).post('/api/session/password', body)
      const wrong = await change({ current: 'not-the-password', new: 'erins-own-password' })
      assert.deepEqual([wrong.status, wrong.json.error.code], [403, 'SRV_WRONG_PASSWORD'])
      const short = await change({ current: oneTime, new: 'short' })
      assert.deepEqual([short.status, short.json.error.code], [400, 'SRV_INVALID_REQUEST'])
      const same = await change({ current: oneTime, new: oneTime })
      assert.deepEqual([same.status, same.json.error.code], [422, 'SRV_WEAK_PASSWORD'])
      const noCsrf = await server.as({ session: erin.session }).post('/api/session/password', {
        current: oneTime,
        new: 'erins-own-password',
      })
      assert.equal(noCsrf.status, 403)
      assert.equal(noCsrf.json.error.code, 'SRV_CSRF')
      const changed = await change({ current: oneTime, new: 'erins-own-password' })
      assert.equal(changed.status, 200, changed.body)
      assert.equal(changed.json.mustChangePassword, false)
      assert.equal((await server.as(erin).get('/api/session')).json.mustChangePassword, false, 'the session goes on')
      assert.equal((await server.as(erin).get('/api/tokens')).status, 200)
      assert.equal((await findUserByName(server.ctx.db, 'erin'))?.mustChangePassword, false)
      const [last] = await listAdminAudit(server.ctx.db, { limit: 1 })
      assert.deepEqual([last?.action, last?.actor, last?.subject], ['user.passwd', 'erin', 'erin'])
      assert.ok(!JSON.stringify(last).includes('erins-own-password'), 'no password in the audit')
      const old = await server.as('anonymous').post('/api/session', { name: 'erin', password: oneTime })
      assert.equal(old.status, 401)
      const again = await server.as('anonymous').post('/api/session', { name: 'erin', password: 'erins-own-password' })
      assert.equal(again.json.mustChangePassword, false)
    })

    it('makes a password an admin sets for someone one-time, and lets an API token through', async () => {
      const added = await server.as('admin').post('/api/users', { name: 'frank', role: 'auditor' })
      assert.deepEqual([added.status, added.json.user.mustChangePassword], [201, true])
      const kept = await server
        .as('admin')
        .post('/api/users', { name: 'grace', role: 'auditor', password: 'graces-password-1', oneTime: false })
      assert.equal(kept.json.user.mustChangePassword, false)
      // grace makes a token, then an admin resets her password to a one-time one: the token still works.
      const login = await server.as('anonymous').post('/api/session', { name: 'grace', password: 'graces-password-1' })
      const grace = { session: sessionCookieOf(login.headers)!, csrf: login.json.csrfToken as string }
      const token = (await server.as(grace).post('/api/tokens', { label: 'grace' })).json.token as string
      await setPassword(server.ctx.db, clock, 'test', 'grace', 'graces-new-password', true)
      assert.equal((await findUserByName(server.ctx.db, 'grace'))?.mustChangePassword, true)
      assert.equal((await server.as({ token }).get('/api/tokens')).status, 200, 'a token is never held back')
      const next = await server.as('anonymous').post('/api/session', { name: 'grace', password: 'graces-new-password' })
      assert.equal(next.json.mustChangePassword, true)
      for (const name of ['frank', 'grace'])
        assert.equal((await server.as('admin').delete(`/api/users/${name}`)).status, 200)
    })

    // Last: it moves the clock past the sessions of createTestServer.
    it('ends a session after 12 idle hours, and after logout', async () => {
      const login = await server
        .as('anonymous')
        .post('/api/session', { name: 'auditor', password: testPassword('auditor') })
      const session = sessionCookieOf(login.headers)!
      clock.advance(11 * 3600_000)
      assert.equal((await server.as({ session }).get('/api/session')).status, 200)
      clock.advance(11 * 3600_000)
      assert.equal((await server.as({ session }).get('/api/session')).status, 200, 'the last request counts')
      clock.advance(12 * 3600_000 + 1)
      assert.equal((await server.as({ session }).get('/api/session')).status, 401)
      const again = await server
        .as('anonymous')
        .post('/api/session', { name: 'auditor', password: testPassword('auditor') })
      const who = { session: sessionCookieOf(again.headers)!, csrf: again.json.csrfToken as string }
      const out = await server.as(who).delete('/api/session')
      assert.equal(out.status, 200)
      assert.match(String(out.headers['set-cookie']), /provisio_session=;/)
      assert.equal((await server.as(who).get('/api/session')).status, 401)
      const [last] = await listAdminAudit(server.ctx.db, { limit: 1 })
      assert.deepEqual([last?.action, last?.actor], ['logout', 'auditor'])
    })
  })
}

describe('login rate limit', () => {
  it('answers the 11th attempt in a minute with 429 and Retry-After', async () => {
    const server = await createTestServer('sqlite')
    try {
      // The three logins of createTestServer count: 7 more reach the limit of 10.
      for (let i = 0; i < 7; i++) {
        const answer = await server.as('anonymous').post('/api/session', { name: 'admin', password: 'wrong-password' })
        assert.equal(answer.status, 401)
      }
      const limited = await server
        .as('anonymous')
        .post('/api/session', { name: 'admin', password: testPassword('admin') })
      assert.equal(limited.status, 429)
      assert.equal(limited.json.error.code, 'SRV_RATE_LIMITED')
      assert.ok(Number(limited.headers['retry-after']) > 0, JSON.stringify(limited.headers))
      assert.equal((await server.as('admin').get('/api/session')).status, 200, 'other routes are not limited')
    } finally {
      await server.close()
    }
  })
})
