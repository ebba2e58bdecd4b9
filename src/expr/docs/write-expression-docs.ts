/** Regenerates the generated sections of docs/expressions.md: node --import tsx src/expr/docs/write-expression-docs.ts */
import { readFileSync, writeFileSync } from 'node:fs'
import { updateExpressionDocs } from './expression-docs.ts'

export const EXPRESSION_DOCS_PATH = new URL('../../../docs/expressions.md', import.meta.url)

if (import.meta.url === new URL(process.argv[1] ?? '', 'file:').href) {
  const current = readFileSync(EXPRESSION_DOCS_PATH, 'utf8')
  const updated = updateExpressionDocs(current)
  if (updated === current) console.log('docs/expressions.md is up to date')
  else {
    writeFileSync(EXPRESSION_DOCS_PATH, updated)
    console.log('docs/expressions.md updated')
  }
}
