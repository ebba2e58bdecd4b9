/**
 * Browser tests of the Studio (docs/development.md "Browser tests"): the real server, with every
 * API route and the built Studio, listening over HTTPS on loopback, driven by Debian's Chromium
 * through playwright-core (never a downloaded browser). Each role's user exists (see server.ts);
 * `open(role)` gives a page already logged in as that user, `loginPage()` one at the login form.
 * Screenshots of the main pages are kept in test/e2e/screenshots/ as the Studio's pictures.
 *
 * @example
 * const studio = await startStudio()
 * const page = await studio.open('admin', '/runs')
 * await page.getByRole('heading', { name: 'Runs' }).waitFor()
 * await studio.screenshot(page, 'runs')
 */
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core'
import { generate } from 'selfsigned'
import { ALL_ROUTES, defaultStudioDir, studioBuilt, type UserRole } from '../../src/server/index.ts'
import { type TestServer, type TestServerOptions, type VaultKind, createTestServer } from './server.ts'

const CHROMIUM = process.env['PROVISIO_TEST_CHROMIUM'] ?? '/usr/bin/chromium'
export const SCREENSHOTS = fileURLToPath(new URL('../e2e/screenshots/', import.meta.url))

/** Why browser tests cannot run here, or undefined when they can. */
export function studioSkipReason(): string | undefined {
  if (!existsSync(CHROMIUM))
    return `Studio browser suites: Chromium is not installed at ${CHROMIUM} (npm test installs it with apt when it runs as root; or set PROVISIO_TEST_CHROMIUM)`
  if (!studioBuilt(defaultStudioDir()))
    return 'Studio browser suites: the Studio is not built (npm run build:studio; npm test builds it)'
  return undefined
}

export interface StudioBed {
  /** `https://127.0.0.1:PORT` */
  readonly url: string
  readonly server: TestServer
  readonly browser: Browser
  /** A new page logged in as the role's user (its session cookie set), at `path`. */
  open(role: UserRole, path?: string): Promise<Page>
  /** A new page at the login form (no session). */
  loginPage(): Promise<Page>
  /**
   * What the page shows and waits for, for a failure's message: its address, the start of its text
   * and the requests still unanswered (a page that never renders says why: a chunk, an API answer).
   */
  explain(page: Page): Promise<string>
  /** Saves a full-page picture as test/e2e/screenshots/NAME.png. */
  screenshot(page: Page, name: string): Promise<void>
  close(): Promise<void>
}

async function selfSigned(): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  } as never)
  return { cert: pems.cert, key: pems.private }
}

export async function startStudio(kind: VaultKind = 'sqlite', options: TestServerOptions = {}): Promise<StudioBed> {
  const server = await createTestServer(kind, { register: ALL_ROUTES, ...options, tls: await selfSigned() })
  await server.app.listen({ port: 0, host: '127.0.0.1' })
  const address = server.app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const url = `https://127.0.0.1:${port}`
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  // The server shares this process: a long synchronous stretch in it stalls every page.
  const loopDelay = monitorEventLoopDelay({ resolution: 20 })
  loopDelay.enable()
  const contexts: BrowserContext[] = []
  const pending = new WeakMap<Page, Map<unknown, string>>()
  const track = (page: Page) => {
    const open = new Map<unknown, string>()
    pending.set(page, open)
    page.on('request', (request) =>
      open.set(request, `${request.method()} ${request.url()} since ${new Date().toISOString()}`),
    )
    page.on('requestfinished', (request) => open.delete(request))
    page.on('requestfailed', (request) => open.delete(request))
    return page
  }
  /**
   * Waits until the page shows something of its own (a heading, an error), so that a first load that
   * never renders fails here, explained, whatever the test meant to wait for next.
   */
  const rendered = async (page: Page) => {
    await page
      .locator('h1, .notice.error, [role="alert"]')
      .first()
      .waitFor()
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\n${await bed.explain(page)}`)
      })
  }
  const newContext = async () => {
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 1440, height: 900 },
      baseURL: url,
    })
    // Generous: on a loaded CI machine (two test files, Samba AD, PostgreSQL and slapd on two cores) a
    // page's first render took over 30 s twice in CI runs, never on a quiet machine; a page that
    // really hangs still fails, and says why where the tests use explain().
    context.setDefaultTimeout(60_000)
    contexts.push(context)
    return context
  }
  const bed: StudioBed = {
    url,
    server,
    browser,
    async open(role, at = '/') {
      const context = await newContext()
      await context.addCookies([
        {
          name: 'provisio_session',
          value: server.session(role).cookie,
          url,
          httpOnly: true,
          secure: true,
          sameSite: 'Strict',
        },
      ])
      const page = track(await context.newPage())
      await page.goto(at)
      await rendered(page)
      return page
    },
    async loginPage() {
      const page = track(await (await newContext()).newPage())
      await page.goto('/')
      return page
    },
    async explain(page) {
      const text = await page
        .evaluate(
          () => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText,
        )
        .catch((error: Error) => `(no text: ${error.message})`)
      const open = [...(pending.get(page)?.values() ?? [])]
      return [
        `at ${page.url()}, ${new Date().toISOString()}`,
        `shows: ${text.replace(/\s+/g, ' ').slice(0, 400)}`,
        `unanswered requests: ${open.length === 0 ? 'none' : open.join('; ')}`,
        `the server's event loop: longest stall ${Math.round(loopDelay.max / 1e6)} ms`,
      ].join('\n')
    },
    async screenshot(page, name) {
      mkdirSync(SCREENSHOTS, { recursive: true })
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })
    },
    async close() {
      loopDelay.disable()
      for (const context of contexts) await context.close().catch(() => {})
      await browser.close()
      await server.close()
    },
  }
  return bed
}
