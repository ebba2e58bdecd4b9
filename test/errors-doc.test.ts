import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { registeredErrors } from '../src/core/index.ts'
import { ERRORS_DOC, renderErrorsDoc } from '../scripts/errors-doc.ts'

describe('error code registry', () => {
  it('is documented in docs/errors.md exactly as the code declares it', async () => {
    const expected = await renderErrorsDoc()
    assert.equal(readFileSync(ERRORS_DOC, 'utf8'), expected, 'docs/errors.md is out of date: run `npm run gen:errors`')
  })

  it('uses the prefix of its layer and says what to do for every code', () => {
    const prefixes: Record<string, string> = {
      core: '(BUG|CORE)_',
      expr: 'EXPR_',
      config: 'CFG_',
      vault: 'VLT_',
      connectors: 'CON_',
      filters: 'FLT_',
      engine: 'ENG_',
      jobs: 'JOB_',
      events: 'EVT_',
      server: 'SRV_',
      cli: 'CLI_',
    }
    for (const e of registeredErrors()) {
      const layer = e.layer.split('.')[0]!
      assert.match(e.code, new RegExp(`^${prefixes[layer] ?? 'X'}[A-Z0-9_]+$`), `${e.code} (declared by ${e.layer})`)
      assert.ok(e.hint.length > 10 && e.title.length > 10, `${e.code} needs a title and a hint`)
    }
  })
})
