#!/usr/bin/env node
// Entry point of the `provisio` command. Uses the compiled build when present (npm run build),
// and otherwise runs the TypeScript sources through tsx, so a fresh checkout works after `npm install`.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))
let cli
if (existsSync(compiled)) {
  cli = await import(pathToFileURL(compiled).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  cli = await import('../src/cli/main.ts')
}
process.exitCode = await cli.main(process.argv)
