/**
 * Suite `collect` (issue 2): a first collection and re-collections (unchanged, and with 1% of the
 * employees changed) of generated HR sets of 10k, 100k and 1M employees with their contracts, on
 * SQLite and PostgreSQL. Records rows/s and peak memory. Targets: first collection ≥ 100,000 rows/s
 * on SQLite; re-collection of an unchanged 1M set < 15 s; peak memory < 1 GB at 1M.
 */
import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  createReadStream,
  createWriteStream,
} from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import Papa from 'papaparse'
import { generateHrDataset } from '../src/cli/dataset/index.ts'
import { recordSuite, table } from './support/results.ts'
import { type BenchDatabase, DATA } from './support/databases.ts'

interface Figures {
  readonly ms: number
  readonly rows: number
  readonly maxRssMB: number
}

async function dataset(employees: number): Promise<string> {
  const dir = path.join(DATA, `hr-${employees}`)
  if (!existsSync(path.join(dir, '.complete'))) {
    console.log(`  generating ${employees.toLocaleString('en-US')} employees…`)
    await generateHrDataset({ employees, seed: 42, outDir: dir })
    writeFileSync(path.join(dir, '.complete'), '')
  }
  return dir
}

/** A copy of the set in which every 100th employee has a changed last name. */
async function changedCopy(base: string): Promise<string> {
  const dir = `${base}-changed`
  if (existsSync(path.join(dir, '.complete'))) return dir
  mkdirSync(dir, { recursive: true })
  for (const file of ['departments.csv', 'contracts.csv']) copyFileSync(path.join(base, file), path.join(dir, file))
  const out = createWriteStream(path.join(dir, 'employees.csv'))
  let n = 0
  let lastNameIndex = -1
  for await (const line of createInterface({
    input: createReadStream(path.join(base, 'employees.csv'), 'utf8'),
    crlfDelay: Infinity,
  })) {
    if (n === 0) {
      lastNameIndex = line
        .replace(/^\uFEFF/, '')
        .split(';')
        .indexOf('last_name')
      out.write(`${line}\r\n`)
    } else if (n % 100 === 0) {
      const fields = Papa.parse<string[]>(line, { delimiter: ';' }).data[0]!
      fields[lastNameIndex] = `${fields[lastNameIndex]}-Changed`
      out.write(`${Papa.unparse([fields], { delimiter: ';', newline: '\r\n' })}\r\n`)
    } else out.write(`${line}\r\n`)
    n++
  }
  await new Promise((resolve) => out.end(resolve))
  writeFileSync(path.join(dir, '.complete'), '')
  return dir
}

function project(folder: string, name: string): string {
  const dir = path.join(DATA, `project-${name}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const yaml = readFileSync(
    path.resolve(import.meta.dirname, '..', 'examples', 'hr500', 'systems', 'hr500.yaml'),
    'utf8',
  ).replace(/folder: .*/, `folder: ${JSON.stringify(folder)}`)
  writeFileSync(path.join(dir, 'hr500.yaml'), yaml)
  return dir
}

function collect(projectDir: string, database: BenchDatabase): Figures {
  const args = ['--import', 'tsx', path.join(import.meta.dirname, 'collect-worker.ts'), '--project', projectDir]
  if (database.url !== undefined) args.push('--database', database.url, '--schema', database.schema!)
  const output = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 })
  return JSON.parse(output.trim().split('\n').at(-1)!) as Figures
}

const rate = (f: Figures) => Math.round(f.rows / (f.ms / 1000)).toLocaleString('en-US')
const secs = (f: Figures) => (f.ms / 1000).toFixed(2)

export async function runCollectSuite(sizes: readonly number[], databases: readonly BenchDatabase[]): Promise<void> {
  const rows: (string | number)[][] = []
  for (const employees of sizes) {
    const base = await dataset(employees)
    const changed = await changedCopy(base)
    for (const database of databases) {
      await database.reset()
      const name = `${employees}-${database.name}`
      const first = collect(project(base, name), database)
      const unchanged = collect(project(base, name), database)
      const onePercent = collect(project(changed, name), database)
      const label = employees.toLocaleString('en-US')
      for (const [kind, f] of [
        ['first', first],
        ['unchanged', unchanged],
        ['1% changed', onePercent],
      ] as const) {
        rows.push([label, database.name, kind, f.rows.toLocaleString('en-US'), secs(f), rate(f), f.maxRssMB])
        console.log(`  ${label} ${database.name} ${kind}: ${secs(f)} s, ${rate(f)} rows/s, peak ${f.maxRssMB} MB`)
      }
    }
  }
  recordSuite(
    'collect',
    `Collections of generated HR sets (\`provisio dataset hr --seed 42\`: employees, their contracts and the departments, all three tables counted as rows), each in its own process; peak memory is that process's maxRSS. "first" is into an empty vault, "unchanged" collects the same files again, "1% changed" has every 100th employee's last name changed.

Targets: first collection ≥ 100,000 rows/s on SQLite; unchanged re-collection of the 1M set < 15 s; peak memory < 1 GB at 1M.

${table(['employees', 'vault', 'collection', 'rows', 'seconds', 'rows/s', 'peak MB'], rows)}`,
  )
}
