/**
 * docs/errors.md is generated from the error registry: `npm run gen:errors` writes it and
 * test/errors-doc.test.ts fails when it is out of date (the fastify errors.js / Errors.md idea).
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { registeredErrors } from '../src/core/index.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
export const ERRORS_DOC = path.join(ROOT, 'docs', 'errors.md')

/** Every module that declares error codes: `errors.ts` or `*-errors.ts` anywhere under src/. */
function errorModules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return errorModules(full)
    return /(^|-)errors\.ts$/.test(name) ? [full] : []
  })
}

export async function renderErrorsDoc(): Promise<string> {
  for (const file of errorModules(path.join(ROOT, 'src'))) await import(pathToFileURL(file).href)
  const escape = (text: string) => text.replaceAll('|', '\\|')
  const rows = registeredErrors().map(
    (e) =>
      `| \`${e.code}\` | ${e.layer} | ${e.audience} | ${e.retry ?? 'never'} | ${escape(e.title)} | ${escape(e.hint)} |`,
  )
  return [
    '# Error codes',
    '',
    'Every error Provisio reports carries one of these codes. The CLI prints it in brackets after the message',
    '(`error: … [VLT_GUARD_REJECTED]`), `--json` output and the API return it as `code`. *Audience* says who has to',
    'act: `user` (the configuration or the input), `operational` (a system or server), `bug` (Provisio itself).',
    '*Retry* says whether repeating the same call may succeed.',
    '',
    'This file is generated from the code by `npm run gen:errors`; a test fails when it is out of date.',
    '',
    '| code | layer | audience | retry | meaning | what to do |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n')
}

if (process.argv[1] !== undefined && import.meta.filename === path.resolve(process.argv[1])) {
  writeFileSync(ERRORS_DOC, await renderErrorsDoc())
  console.log(`wrote ${path.relative(ROOT, ERRORS_DOC)}`)
}
