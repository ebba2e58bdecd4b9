/**
 * The directory the `ldap` suite measures against: a slapd of its own, started with
 * scripts/start-slapd.sh on ports 3460/3461 and loaded offline (slapadd -q, SLAPD_LOAD_LDIF) with
 * generated people, one OU per collection size (`ou=people-<n>`), so that loading is setup and never
 * measured as provisioning work. The server runs with olcDbNoSync: the suite compares clients, and a
 * flush to disk on every add would hide what the clients cost behind the disk's latency.
 */
import { execFileSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Client } from 'ldapts'
import { DATA } from '../support/databases.ts'

const SCRIPTS = path.resolve(import.meta.dirname, '..', '..', 'scripts')
/** The suite's own slapd: its folder and ports (3460-3479 are the suite's). */
const DIR = '/tmp/provisio-bench-slapd'
const PORT = 3460
const LDAPS_PORT = 3461

export const SUFFIX = 'dc=example,dc=test'
export const ADMIN_DN = `cn=admin,${SUFFIX}`
/** start-slapd.sh's test-only admin password. */
export const ADMIN_PASSWORD = 'secret'

/** The attributes every generated person has, besides objectClass: ten, as the issue asks. */
export const PERSON_ATTRIBUTES = [
  'uid',
  'cn',
  'sn',
  'givenName',
  'displayName',
  'mail',
  'employeeNumber',
  'title',
  'departmentNumber',
  'telephoneNumber',
] as const
export type Person = Record<(typeof PERSON_ATTRIBUTES)[number], string>

export const PERSON_CLASSES = ['top', 'person', 'organizationalPerson', 'inetOrgPerson'] as const

const GIVEN = ['Anna', 'Ben', 'Chloé', 'David', 'Emma', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Lars']
const FAMILY = ['Meyer', 'Novak', "O'Brien", 'Petrov', 'Quist', 'Rossi', 'Schmidt', 'Tanaka', 'Ulloa', 'Vogel']
const TITLES = ['Engineer', 'Analyst', 'Nurse', 'Accountant', 'Teacher', 'Technician', 'Manager']

/** Person `i` of a set whose uids start with `prefix`: deterministic, ASCII but for some names. */
export function person(prefix: string, i: number): Person {
  const givenName = GIVEN[i % GIVEN.length]!
  const sn = `${FAMILY[(i * 7) % FAMILY.length]!}${i % 3 === 0 ? '-Lang' : ''}`
  const uid = `${prefix}${i.toString().padStart(7, '0')}`
  return {
    uid,
    cn: `${givenName} ${sn} ${i}`,
    sn,
    givenName,
    displayName: `${sn}, ${givenName}`,
    mail: `${uid}@corp.example`,
    employeeNumber: String(100_000 + i),
    title: TITLES[i % TITLES.length]!,
    departmentNumber: `D${(i % 400).toString().padStart(3, '0')}`,
    telephoneNumber: `+41 44 ${String(1_000_000 + ((i * 7919) % 9_000_000)).slice(0, 3)} ${String(i % 10_000).padStart(4, '0')}`,
  }
}

export const peopleOu = (size: number) => `ou=people-${size}`

/** An LDIF value: base64 when it is not safe as is (non-ASCII here). */
function ldifLine(attribute: string, value: string): string {
  // LDIF's SAFE-STRING, narrowed to printable ASCII not starting with a space, a colon or '<'.
  return /^[\x21-\x39\x3b\x3d-\x7e][\x20-\x7e]*$/.test(value)
    ? `${attribute}: ${value}\n`
    : `${attribute}:: ${Buffer.from(value, 'utf8').toString('base64')}\n`
}

/**
 * When the loaded people were created and last changed, as if long ago: an incremental read (from a
 * watermark of now minus a few minutes) must not find them changed just because slapadd ran now.
 */
const LOADED_AT = '20250101000000Z'

/** The LDIF slapadd loads: per size, `ou=people-<n>` and n people (uids `p<size>-…`), cached in bench/.data. */
export async function peopleLdif(sizes: readonly number[]): Promise<string> {
  const file = path.join(DATA, `ldap-people-v2-${sizes.join('-')}.ldif`)
  if (existsSync(`${file}.complete`)) return file
  mkdirSync(DATA, { recursive: true })
  const out = createWriteStream(file)
  const write = (text: string) =>
    out.write(text) ? undefined : new Promise<void>((resolve) => out.once('drain', () => resolve()))
  for (const size of sizes) {
    const ou = `people-${size}`
    await write(`dn: ou=${ou},${SUFFIX}\nobjectClass: top\nobjectClass: organizationalUnit\nou: ${ou}\n\n`)
    for (let i = 0; i < size; i++) {
      const p = person(`p${size}-`, i)
      let entry = `dn: uid=${p.uid},ou=${ou},${SUFFIX}\n`
      for (const oc of PERSON_CLASSES) entry += `objectClass: ${oc}\n`
      for (const attribute of PERSON_ATTRIBUTES) entry += ldifLine(attribute, p[attribute])
      entry += `createTimestamp: ${LOADED_AT}\nmodifyTimestamp: ${LOADED_AT}\n`
      await write(`${entry}\n`)
    }
  }
  await new Promise((resolve) => out.end(resolve))
  writeFileSync(`${file}.complete`, '')
  return file
}

/** The people a create run adds, as a CSV file (the source system of Provisio's plan; the plain script reads it too). */
export function createCsv(count: number): string {
  const dir = path.join(DATA, `ldap-create-${count}`)
  const file = path.join(dir, 'people.csv')
  if (existsSync(`${file}.complete`)) return dir
  mkdirSync(dir, { recursive: true })
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)
  const lines = [PERSON_ATTRIBUTES.join(',')]
  for (let i = 0; i < count; i++) {
    const p = person('n', i)
    lines.push(PERSON_ATTRIBUTES.map((a) => quote(p[a])).join(','))
  }
  writeFileSync(file, `${lines.join('\n')}\n`)
  writeFileSync(`${file}.complete`, '')
  return dir
}

export interface BenchDirectory {
  /** ldap:// (no TLS: both clients pay the same for TLS, and the suite compares the clients). */
  readonly url: string
  readonly pid: number
  /** Seconds of slapd start and offline loading (setup, not measured as work). */
  readonly setupSeconds: number
  /** Bytes the mdb database file took after loading. */
  readonly databaseBytes: number
}

/**
 * Installs slapd and the LDAP tools when they are missing (scripts/install-ldap.sh: as root, with
 * apt). Returns why the suite cannot run, or undefined when it can.
 */
export function installDirectory(): string | undefined {
  try {
    execFileSync('bash', [path.join(SCRIPTS, 'install-ldap.sh')], { stdio: ['ignore', 'ignore', 'pipe'] })
    return undefined
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim()
    return stderr === undefined || stderr === '' ? (error as Error).message : stderr
  }
}

/** Starts the suite's slapd (stopping a leftover one first) with `ldif` loaded offline. */
export function startDirectory(ldif: string, entries: number): BenchDirectory {
  stopDirectory()
  const started = performance.now()
  // mdb maps its maximum size up front (sparse): room for the loaded entries and every create run.
  const maxsize = Math.max(2 ** 30, Math.ceil((entries * 16 * 1024) / 2 ** 30) * 2 ** 30)
  const output = execFileSync('bash', [path.join(SCRIPTS, 'start-slapd.sh'), DIR, String(PORT), String(LDAPS_PORT)], {
    encoding: 'utf8',
    env: { ...process.env, SLAPD_LOAD_LDIF: ldif, SLAPD_DBNOSYNC: '1', SLAPD_MAXSIZE: String(maxsize) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const setupSeconds = (performance.now() - started) / 1000
  const url = output.trim().split('\n')[0]!
  const pid = Number(readFileSync(path.join(DIR, 'slapd.pid'), 'utf8').trim())
  const databaseBytes =
    Number(execFileSync('du', ['-sk', path.join(DIR, 'data')], { encoding: 'utf8' }).split('\t')[0]) * 1024
  return { url, pid, setupSeconds, databaseBytes }
}

export function stopDirectory(): void {
  execFileSync('bash', [path.join(SCRIPTS, 'stop-slapd.sh'), DIR], { stdio: 'inherit' })
  rmSync(path.join(DIR, 'data'), { recursive: true, force: true })
}

/** slapd's CPU time so far (user + system), from /proc: what the server spent during a measure. */
export function serverCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

/** A bound admin client for setup (the admin has no size limit). Unbind it. */
export async function adminClient(url: string): Promise<Client> {
  const client = new Client({ url })
  await client.bind(ADMIN_DN, ADMIN_PASSWORD)
  return client
}

/** Creates the empty OU `ou=<name>` for one create run. */
export async function createOu(url: string, name: string): Promise<string> {
  const client = await adminClient(url)
  try {
    const dn = `ou=${name},${SUFFIX}`
    await client.add(dn, { objectClass: ['top', 'organizationalUnit'], ou: name })
    return dn
  } finally {
    await client.unbind()
  }
}
