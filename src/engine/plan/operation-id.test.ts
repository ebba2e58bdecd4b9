import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { canonicalJson, operationId } from './operation-id.ts'

describe('operationId', () => {
  const identity = { mapping: 'm', function: 'users_update', key: 'k1', attributes: { b: 1, a: 'x' } }

  it('is the same for the same mapping, key and values, whatever the order of the attributes', () => {
    assert.equal(operationId(identity), operationId({ ...identity, attributes: { a: 'x', b: 1 } }))
    assert.match(operationId(identity), /^[0-9a-f]{24}$/)
  })

  it('differs when the mapping, function, key or a value differs', () => {
    const base = operationId(identity)
    for (const other of [
      { ...identity, mapping: 'n' },
      { ...identity, function: 'users_delete' },
      { ...identity, key: 'k2' },
      { ...identity, attributes: { a: 'y', b: 1 } },
    ])
      assert.notEqual(operationId(other), base)
  })

  it('writes canonical JSON with sorted keys', () => {
    assert.equal(canonicalJson({ b: ['x'], a: null }), '{"a":null,"b":["x"]}')
  })
})
