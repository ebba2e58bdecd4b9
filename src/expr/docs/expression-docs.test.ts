import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { registeredErrors } from '../../core/index.ts'
import { listFunctions } from '../functions/registry.ts'
import { updateExpressionDocs } from './expression-docs.ts'
import { EXPRESSION_DOCS_PATH } from './write-expression-docs.ts'

describe('docs/expressions.md', () => {
  const page = readFileSync(EXPRESSION_DOCS_PATH, 'utf8')

  it('matches the function and error registries (regenerate: node --import tsx src/expr/docs/write-expression-docs.ts)', () => {
    assert.equal(page, updateExpressionDocs(page))
  })

  it('documents every function with a summary and its null behaviour', () => {
    for (const fn of listFunctions()) {
      assert.ok(page.includes(`#### ${fn.name}\n`), fn.name)
      assert.ok(fn.summary.length > 0 && fn.nulls.length > 0, fn.name)
    }
  })

  it('names every EXPR_ error code', () => {
    for (const e of registeredErrors().filter((x) => x.code.startsWith('EXPR_')))
      assert.ok(page.includes(`\`${e.code}\``), e.code)
  })
})
