/**
 * CPU profiles of the measured work of a phase (the V8 sampling profiler `node --cpu-prof` uses,
 * started through the inspector right before the work and stopped right after it, so that loading
 * the program is not in it), and their summary: self time by part of the program (the LDAP client
 * library, the LDAP connector, the vault and SQLite, the engine, Node's own code, the garbage
 * collector, idle time waiting for the server) and the functions that took the most self time. The
 * `ldap` suite profiles one extra run of each phase: profiling slows it down, so these runs are not
 * among the timed ones.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import path from 'node:path'

const ROOT = `file://${path.resolve(import.meta.dirname, '..', '..')}/`

/** Runs `work`, profiled into `file` (a .cpuprofile) when a file is given. */
export async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (file === undefined) return work()
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  try {
    return await work()
  } finally {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(file, JSON.stringify(profile))
    session.disconnect()
  }
}

interface ProfileNode {
  readonly id: number
  readonly children?: readonly number[]
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

export interface ProfileSummary {
  readonly totalMs: number
  /** Self time per part, largest first. */
  readonly parts: readonly { readonly part: string; readonly ms: number }[]
  /** The functions with the most self time. */
  readonly functions: readonly { readonly name: string; readonly part: string; readonly ms: number }[]
}

/** Self time of functions that no program code owns: V8's and the event loop's own. */
const SPECIAL: Readonly<Record<string, string>> = {
  '(idle)': 'idle (waiting for the server)',
  '(garbage collector)': 'garbage collector',
  '(program)': 'V8 (program)',
}

/**
 * Socket writes: on loopback the kernel delivers the request to slapd inside the write call, and
 * the sampling profiler counts the call's whole duration (waiting for a core included).
 */
const SOCKET_WRITES = 'socket writes (writeBuffer, writev)'

/** The part of the program code at `url` belongs to; undefined for Node's own and native code. */
function partOfUrl(url: string): string | undefined {
  if (url === '' || url.startsWith('node:')) return undefined
  if (url.includes('/node_modules/ldapts/') || url.includes('/node_modules/asn1'))
    return 'ldapts (BER encoding, messages)'
  if (url.includes('/node_modules/better-sqlite3/')) return 'vault (Provisio, SQLite)'
  if (url.includes('/node_modules/tsx/') || url.includes('/node_modules/zod/'))
    return 'loading and validation (tsx, zod)'
  if (url.includes('/node_modules/')) return `other libraries (${url.split('/node_modules/')[1]!.split('/')[0]})`
  if (url.includes('/src/connectors/ldap/')) return 'LDAP connector'
  if (url.includes('/src/connectors/')) return 'connectors (shared)'
  if (url.includes('/src/vault/')) return 'vault (Provisio, SQLite)'
  if (url.includes('/src/engine/')) return 'engine'
  if (url.includes('/src/')) return `Provisio (${url.split('/src/')[1]!.split('/')[0]})`
  if (url.includes('/bench/')) return 'bench script'
  return 'other'
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  /**
   * A function's part: its own script's, or for Node's and native functions (Buffer slicing, a
   * SQLite statement's run) the part of the nearest caller that is program code, which asked for
   * the work; Node's event loop and stream plumbing when no program code is on the stack.
   */
  const partOf = (id: number): string => {
    const frame = byId.get(id)!.callFrame
    const special = SPECIAL[frame.functionName]
    if (special !== undefined && frame.url === '') return special
    if (frame.url === '' && (frame.functionName === 'writeBuffer' || frame.functionName === 'writev'))
      return SOCKET_WRITES
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const part = partOfUrl(byId.get(at)!.callFrame.url)
      if (part !== undefined) return part
    }
    return 'Node (event loop, sockets, streams)'
  }
  const selfUs = new Map<number, number>()
  // timeDeltas[i] is the time before sample i; it is charged to the sample's node.
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const parts = new Map<string, number>()
  const functions = new Map<string, { name: string; part: string; us: number }>()
  let total = 0
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame
    const part = partOf(id)
    total += us
    parts.set(part, (parts.get(part) ?? 0) + us)
    const where = frame.url === '' ? '' : ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}`
    const name = `${frame.functionName || '(anonymous)'}${where}`
    const entry = functions.get(name) ?? { name, part, us: 0 }
    entry.us += us
    functions.set(name, entry)
  }
  const ms = (us: number) => Math.round(us / 1000)
  return {
    totalMs: ms(total),
    parts: [...parts].sort((a, b) => b[1] - a[1]).map(([part, us]) => ({ part, ms: ms(us) })),
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, part: f.part, ms: ms(f.us) })),
  }
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/')
  if (modules !== -1) return url.slice(modules + '/node_modules/'.length)
  return url.startsWith(ROOT) ? url.slice(ROOT.length) : url
}
