import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { z } from 'zod'
import { secretRef } from '../core/index.ts'
import { loadProject } from './load-project.ts'
import { removeProject, writeProject, yaml } from './project-fixture.ts'
import { configHints } from './schema-walk.ts'
import { validateDocumentPart } from './zod-issues.ts'

const dirs: string[] = []
after(async () => {
  for (const dir of dirs) await removeProject(dir)
})

/** A connector's schemas, as the connectors layer would pass them. */
const ldapConfig = z.strictObject({
  url: z.string(),
  bindDn: z.string(),
  bindPassword: secretRef(),
  tls: z.strictObject({ verify: z.boolean().optional(), caFile: z.string().optional() }).optional(),
  pageSize: z.number().int().min(1).max(5000).optional(),
  mode: z.enum(['read', 'readWrite']).optional(),
})
const mode = z.enum(['one', 'sub'])
configHints.add(mode, { aliases: { subtree: 'sub' } })
const tableOptions = z.strictObject({ baseDn: z.string(), scope: mode.optional(), filter: z.string().optional() })

async function document(...lines: string[]) {
  const dir = await writeProject({ 'ad.yaml': yaml(...lines) })
  dirs.push(dir)
  const { documents } = await loadProject(dir)
  assert.ok(documents[0])
  return documents[0]
}

const ad = [
  'kind: System', // 1
  'name: ad', // 2
  'connector: ldap', // 3
  'config:', // 4
  '  url: ldap://dc1', // 5
  '  bindDN: cn=admin', // 6
  '  bindPassword: plain-text-password', // 7
  '  tls: { verfy: true }', // 8
  '  pageSize: 0', // 9
  '  mode: readwrite', // 10
  'tables:', // 11
  '  users:', // 12
  '    options: { baseDn: "dc=x", scope: subtree, filtr: "(objectClass=user)" }', // 13
  '    columns: { id: string }', // 14
]

describe('validateDocumentPart', () => {
  it("positions a connector's config issues in the document, with did-you-mean, and never echoes a secret", async () => {
    const doc = await document(...ad)
    const result = validateDocumentPart(doc, ldapConfig, ['config'])
    assert.equal(result.ok, false)
    const issues = result.ok ? [] : result.issues
    assert.deepEqual(
      issues.map((i) => `${i.line}:${i.column} ${i.code} ${i.message} | ${i.hint}`),
      [
        "4:1 CFG_MISSING_KEY Missing required key 'bindDn' in config. | Add `bindDn:` in config.",
        "6:3 CFG_UNKNOWN_KEY Unknown key 'bindDN' in config. | Did you mean 'bindDn'?",
        "7:17 CFG_PLAIN_SECRET 'bindPassword' holds a plain value; a secret must be a reference such as ${env:BIND_PASSWORD}. | Put the value in an environment variable and write `${env:NAME}` instead.",
        "8:10 CFG_UNKNOWN_KEY Unknown key 'verfy' in config.tls. | Did you mean 'verify'?",
        '9:13 CFG_INVALID_VALUE Expected a number at least 1, received 0. | Correct the value as the message describes.',
        "10:9 CFG_INVALID_VALUE Expected one of 'read', 'readWrite', received 'readwrite'. | Did you mean 'readWrite'?",
      ],
    )
    assert.ok(!JSON.stringify(issues).includes('plain-text-password'))
    assert.deepEqual(issues[2]?.path, ['config', 'bindPassword'])
    assert.equal(issues[2]?.value, undefined)
  })

  it('never quotes a secret in a custom message', async () => {
    const doc = await document('kind: System', 'name: ad', 'config:', '  apiToken: short')
    const schema = z.strictObject({
      apiToken: z.string().refine((v) => v.length > 10, { error: (i) => `Token '${String(i.input)}' is too short.` }),
    })
    const result = validateDocumentPart(doc, schema, ['config'])
    assert.equal(result.ok, false)
    const text = JSON.stringify(result)
    assert.ok(!text.includes('short'), text)
    assert.match(text, /The value of 'apiToken' is not valid \(it is not shown because it is a secret\)/)
  })

  it('validates table options at their path and uses registered aliases', async () => {
    const doc = await document(...ad)
    const result = validateDocumentPart(doc, tableOptions, ['tables', 'users', 'options'])
    const issues = result.ok ? [] : result.issues
    assert.deepEqual(
      issues.map((i) => `${i.line}:${i.column} ${i.code} ${i.hint}`),
      ["13:39 CFG_INVALID_VALUE Did you mean 'sub'?", "13:48 CFG_UNKNOWN_KEY Did you mean 'filter'?"],
    )
  })

  it('returns the parsed value when the part is valid', async () => {
    const doc = await document('kind: System', 'name: ad', 'config:', '  baseDn: dc=x', '  scope: one')
    const result = validateDocumentPart(doc, tableOptions, ['config'])
    assert.deepEqual(result, { ok: true, value: { baseDn: 'dc=x', scope: 'one' } })
  })

  it('treats a missing part as undefined, so an optional schema accepts it', async () => {
    const doc = await document('kind: System', 'name: ad')
    assert.deepEqual(validateDocumentPart(doc, tableOptions.optional(), ['tables', 'x', 'options']), {
      ok: true,
      value: undefined,
    })
  })
})
