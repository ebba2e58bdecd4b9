/**
 * Layer boundaries (DESIGN.md §4): dependencies point one way, core ← expr ← config ← vault ←
 * connectors ← filters ← engine ← jobs ← events ← server ← cli (the `provisio serve` command starts
 * the server; the server never reaches into the CLI). Each import in src/ is checked here,
 * and a connector implementation (src/connectors/<name>/) may import only core and the contract.
 */
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'

const LAYERS = [
  'core',
  'expr',
  'config',
  'vault',
  'connectors',
  'filters',
  'engine',
  'jobs',
  'events',
  'server',
  'cli',
] as const
const SRC = path.resolve(import.meta.dirname, '..', 'src')

function rank(layer: string): number {
  return LAYERS.indexOf(layer as (typeof LAYERS)[number])
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return sourceFiles(full)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : []
  })
}

/** The file's relative imports, each with the path it resolves to. Package imports are not checked. */
function importsOf(file: string): { spec: string; target: string }[] {
  const text = readFileSync(file, 'utf8')
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ]
    .map((m) => m[1]!)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => ({ spec, target: path.resolve(path.dirname(file), spec) }))
}

function layerOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0]!
}

describe('architecture', () => {
  const files = sourceFiles(SRC)

  it('has a folder under src/ for every layer and no other', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(path.join(SRC, n)).isDirectory())
    assert.deepEqual(
      folders.filter((f) => !(LAYERS as readonly string[]).includes(f)),
      [],
    )
  })

  it('imports only from its own layer or layers below it', () => {
    const violations: string[] = []
    for (const file of files) {
      const from = layerOf(file)
      for (const { spec, target } of importsOf(file)) {
        if (!target.startsWith(SRC)) continue
        const to = layerOf(target)
        const sideways = from !== to && rank(from) === rank(to)
        if (rank(to) > rank(from) || sideways)
          violations.push(`${path.relative(SRC, file)} imports ${spec} (${from} → ${to})`)
      }
    }
    assert.deepEqual(violations, [])
  })

  it('lets a connector implementation see only core and the connector contract', () => {
    const violations: string[] = []
    const connectors = path.join(SRC, 'connectors')
    for (const file of files.filter((f) => path.dirname(f) !== connectors && f.startsWith(connectors + path.sep))) {
      const own = path.relative(connectors, file).split(path.sep)[0]!
      for (const { spec, target } of importsOf(file)) {
        const allowed =
          target.startsWith(path.join(SRC, 'core') + path.sep) ||
          target === path.join(connectors, 'contract.ts') ||
          target.startsWith(path.join(connectors, own) + path.sep)
        if (!allowed) violations.push(`${path.relative(SRC, file)} imports ${spec}`)
      }
    }
    assert.deepEqual(violations, [])
  })

  it('reaches another layer only through its index.ts', () => {
    const violations: string[] = []
    for (const file of files) {
      const from = layerOf(file)
      for (const { spec, target } of importsOf(file)) {
        if (!target.startsWith(SRC)) continue
        const to = layerOf(target)
        const isContract = target === path.join(SRC, 'connectors', 'contract.ts')
        if (to !== from && !isContract && target !== path.join(SRC, to, 'index.ts'))
          violations.push(`${path.relative(SRC, file)} imports ${spec}`)
      }
    }
    assert.deepEqual(violations, [])
  })
})
