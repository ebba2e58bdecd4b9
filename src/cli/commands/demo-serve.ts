/**
 * `provisio demo --serve` (what `npm start` runs): after the demo's steps, the first admin and the
 * server. On a vault without users it adds `admin` with a one-time password, printed once in a box
 * with the URL and the certificate's fingerprint; the password must be changed at the first login.
 * Then it serves like `provisio serve` (API, Studio, scheduler) until Ctrl+C.
 */
import { systemClock } from '../../core/index.ts'
import { addUser, generatePassword } from '../../server/index.ts'
import { listUsers } from '../../vault/index.ts'
import type { CliContext } from '../context.ts'
import { type Listening, type ServeOptions, serveProject } from './serve.ts'

/** The first admin's name. */
export const FIRST_ADMIN = 'admin'

/** Whether the demo ends after its steps instead of serving: --once, or PROVISIO_DEMO_NO_SERVE=1 (CI). */
export function demoServes(options: { serve?: boolean; once?: boolean }): boolean {
  return options.serve === true && options.once !== true && process.env['PROVISIO_DEMO_NO_SERVE'] !== '1'
}

/** The one-time password of a new first admin, or undefined when the vault has users already. */
async function firstAdmin(ctx: CliContext): Promise<string | undefined> {
  const db = await ctx.vault()
  if ((await listUsers(db)).length > 0) return undefined
  const password = generatePassword()
  await addUser(db, systemClock, 'cli', { name: FIRST_ADMIN, role: 'admin', password, oneTime: true })
  return password
}

/** Lines in a box, so that the password stands out from the demo's output. */
function boxed(lines: readonly string[]): string {
  const width = Math.max(...lines.map((l) => l.length))
  const edge = `+${'-'.repeat(width + 2)}+`
  return [edge, ...lines.map((l) => `| ${l.padEnd(width)} |`), edge].join('\n')
}

function welcome(api: Listening, password: string | undefined): string[] {
  const studio = `${api.url}/`
  if (password === undefined)
    return [
      `Provisio is serving on ${studio}`,
      `TLS certificate SHA-256 fingerprint: ${api.fingerprint}`,
      'The vault has users already: log in with yours.',
      `Forgot the admin's password? Reset it with: provisio users passwd ${FIRST_ADMIN}`,
    ]
  return [
    `Provisio is serving on ${studio}`,
    `TLS certificate SHA-256 fingerprint: ${api.fingerprint}`,
    `Log in as ${FIRST_ADMIN} with the one-time password: ${password}`,
    'It is shown only now, and must be changed at the first login.',
  ]
}

/** Adds the first admin when there is none, then serves until SIGINT or SIGTERM. */
export async function serveDemo(ctx: CliContext, options: ServeOptions): Promise<void> {
  const password = await firstAdmin(ctx)
  ctx.out.line('')
  let shown = false
  try {
    await serve(ctx, options, password, () => (shown = true))
  } catch (error) {
    // The password exists only now: a server that could not start (a port taken) must not lose it.
    if (password !== undefined && !shown)
      ctx.out.line(
        boxed([
          `The first admin is ${FIRST_ADMIN}, with the one-time password: ${password}`,
          'It is shown only now; start the server again to log in.',
        ]),
      )
    throw error
  }
}

async function serve(
  ctx: CliContext,
  options: ServeOptions,
  password: string | undefined,
  onShown: () => void,
): Promise<void> {
  await serveProject(ctx, options, (api) => {
    if (api === undefined) return
    if (ctx.options.json) {
      const event = { event: 'first-admin', url: `${api.url}/`, fingerprint: api.fingerprint, user: FIRST_ADMIN }
      process.stdout.write(
        `${JSON.stringify(password === undefined ? { ...event, exists: true } : { ...event, password })}\n`,
      )
      onShown()
      return
    }
    ctx.out.line(boxed(welcome(api, password)))
    onShown()
  })
}
