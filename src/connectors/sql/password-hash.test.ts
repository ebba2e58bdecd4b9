import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hashPassword, verifyPassword } from './password-hash.ts'

describe('password hashes', () => {
  it('are scrypt$salt$hash with a fresh salt each time, and verify only the right password', async () => {
    const first = await hashPassword('Zoë-🙂-2026')
    const second = await hashPassword('Zoë-🙂-2026')
    assert.match(first, /^scrypt\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/)
    assert.notEqual(first, second)
    assert.equal(await verifyPassword('Zoë-🙂-2026', first), true)
    assert.equal(await verifyPassword('Zoë-🙂-2027', first), false)
  })

  it('do not verify against a stored value of another scheme', async () => {
    assert.equal(await verifyPassword('x', 'bcrypt$abc$def'), false)
    assert.equal(await verifyPassword('x', 'plain text'), false)
  })
})
