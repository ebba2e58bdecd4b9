/**
 * The projects the `engine` suite measures: examples/hr500's two systems (HR CSV files and the
 * directory, a SQL system on a SQLite file) pointed at generated data, plus bench/engine/engine.yaml
 * (filters, generators, mappings). The generated sets are cached in bench/.data like the other
 * suites'; a project folder is made anew for every series, so each starts from an empty vault and a
 * freshly seeded directory database.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { DIRECTORY_DATABASE, seedDirectoryDatabase } from '../../src/cli/commands/demo-directory.ts'
import { generateDirectoryDataset, generateHrDataset } from '../../src/cli/dataset/index.ts'
import { DATA } from '../support/databases.ts'

const SYSTEMS = path.resolve(import.meta.dirname, '..', '..', 'examples', 'hr500', 'systems')

/** The directory database as seeded, before anything is executed: the raw-insert baseline's target. */
export const PRISTINE_DIRECTORY = path.join('.provisio', 'directory-pristine.db')

/** Who already has an account: almost nobody (the creates series), or everybody (the updates series). */
export type Coverage = 'few' | 'all'

const COVERAGE: Record<Coverage, number> = { few: 0.01, all: 1 }

async function cached(dir: string, generate: () => Promise<unknown>): Promise<string> {
  if (!existsSync(path.join(dir, '.complete'))) {
    rmSync(dir, { recursive: true, force: true })
    await generate()
    writeFileSync(path.join(dir, '.complete'), '')
  }
  return dir
}

/** The generated HR set (`provisio dataset hr --seed 42`), shared with the collect and filters suites. */
export function hrDataset(employees: number): Promise<string> {
  const dir = path.join(DATA, `hr-${employees}`)
  return cached(dir, () => generateHrDataset({ employees, seed: 42, outDir: dir }))
}

/** A directory export for the HR set in which `coverage` of the employees have an account. */
export async function directoryDataset(employees: number, coverage: Coverage): Promise<string> {
  const hrDir = await hrDataset(employees)
  const dir = path.join(DATA, `engine-directory-${employees}-${coverage}`)
  return cached(dir, () => generateDirectoryDataset({ hrDir, outDir: dir, seed: 42, coverage: COVERAGE[coverage] }))
}

/**
 * A fresh project folder `engine-<name>`: the two systems, the engine configuration, and the
 * directory database seeded from the export (plus an untouched copy for the raw-insert baseline).
 */
export async function benchProject(name: string, employees: number, coverage: Coverage): Promise<string> {
  const hr = await hrDataset(employees)
  const directory = await directoryDataset(employees, coverage)
  const dir = path.join(DATA, `engine-${name}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(path.join(dir, 'files'), { recursive: true })
  writeFileSync(
    path.join(dir, 'hr500.yaml'),
    readFileSync(path.join(SYSTEMS, 'hr500.yaml'), 'utf8').replace(/folder: .*/, `folder: ${JSON.stringify(hr)}`),
  )
  copyFileSync(path.join(SYSTEMS, 'directory.yaml'), path.join(dir, 'directory.yaml'))
  copyFileSync(path.join(import.meta.dirname, 'engine.yaml'), path.join(dir, 'engine.yaml'))
  // seedDirectoryDatabase reads the export from files/directory, as in the demo project.
  symlinkSync(directory, path.join(dir, 'files', 'directory'))
  seedDirectoryDatabase(dir)
  copyFileSync(path.join(dir, DIRECTORY_DATABASE), path.join(dir, PRISTINE_DIRECTORY))
  return dir
}
