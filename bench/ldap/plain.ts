/**
 * The plain ldapts scripts the `ldap` suite holds Provisio against: the least a program must do to
 * read or write the same entries, with nothing stored and nothing checked. One measure per process
 * (like Provisio's, bench/ldap/worker.ts), printing one JSON line:
 *
 *   search --url U --base B --filter F --attributes a,b --page-size P
 *       a paged search of the entries and attributes Provisio's table asks for, page size P,
 *       counting the entries (holding none)
 *   add --url U --csv FILE --ou DN --concurrency C [--read-back a,b]
 *       adds the CSV's people under DN over C connections, one request in flight on each; with
 *       --read-back, each add is followed by a base search of the new entry for those attributes
 *       (what Provisio's create does to write the entry back to the vault)
 *
 * The clock runs from connecting to unbinding; reading the CSV is done before it starts. With
 * --profile FILE, the measured work is CPU-profiled into FILE (profile.ts).
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { Client } from 'ldapts'
import Papa from 'papaparse'
import { ADMIN_DN, ADMIN_PASSWORD, PERSON_CLASSES } from './directory.ts'
import { profiled } from './profile.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    base: { type: 'string' },
    filter: { type: 'string' },
    attributes: { type: 'string' },
    'page-size': { type: 'string' },
    csv: { type: 'string' },
    ou: { type: 'string' },
    concurrency: { type: 'string' },
    'read-back': { type: 'string' },
    profile: { type: 'string' },
  },
})
const url = values.url!

async function bound(): Promise<Client> {
  const client = new Client({ url })
  await client.bind(ADMIN_DN, ADMIN_PASSWORD)
  return client
}

async function search(): Promise<{ entries: number }> {
  const client = await bound()
  let entries = 0
  try {
    const pages = client.searchPaginated(values.base!, {
      scope: 'sub',
      filter: values.filter!,
      attributes: values.attributes!.split(','),
      paged: { pageSize: Number(values['page-size']) },
    })
    for await (const page of pages) entries += page.searchEntries.length
  } finally {
    await client.unbind()
  }
  return { entries }
}

async function add(entries: readonly { dn: string; attributes: Record<string, string | string[]> }[]) {
  const concurrency = Number(values.concurrency)
  const readBack = values['read-back']?.split(',')
  const clients = await Promise.all(Array.from({ length: concurrency }, () => bound()))
  let next = 0
  let readBackFound = 0
  try {
    await Promise.all(
      clients.map(async (client) => {
        for (let i = next++; i < entries.length; i = next++) {
          const { dn, attributes } = entries[i]!
          await client.add(dn, attributes)
          if (readBack === undefined) continue
          const { searchEntries } = await client.search(dn, { scope: 'base', attributes: readBack })
          if (searchEntries.length === 1) readBackFound++
        }
      }),
    )
  } finally {
    await Promise.all(clients.map((c) => c.unbind()))
  }
  return { added: entries.length, readBack: readBack === undefined ? undefined : readBackFound }
}

/** The CSV's people as entries under `ou`, built before the clock starts. */
function entriesOf(file: string, ou: string) {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true })
  return parsed.data.map((row) => {
    const attributes: Record<string, string | string[]> = { objectClass: [...PERSON_CLASSES] }
    for (const [name, value] of Object.entries(row)) if (value !== '') attributes[name] = value
    return { dn: `uid=${row['uid']},${ou}`, attributes }
  })
}

async function run(): Promise<object> {
  switch (positionals[0]) {
    case 'search': {
      const cpu = process.cpuUsage()
      const started = performance.now()
      const result = await profiled(values.profile, search)
      return { ms: Math.round(performance.now() - started), cpuMs: cpuMs(cpu), ...result }
    }
    case 'add': {
      const entries = entriesOf(values.csv!, values.ou!)
      const cpu = process.cpuUsage()
      const started = performance.now()
      const result = await profiled(values.profile, () => add(entries))
      return { ms: Math.round(performance.now() - started), cpuMs: cpuMs(cpu), ...result }
    }
    default:
      throw new Error(`Unknown task '${positionals[0]}'`)
  }
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since)
  return Math.round((used.user + used.system) / 1000)
}

const result = await run()
console.log(JSON.stringify({ ...result, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }))
