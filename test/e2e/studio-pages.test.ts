/**
 * Every page of the Studio's menu (web/src/pages.ts), opened by each role on a fresh hr500 copy
 * with hr500 and directory collected: none may throw in the browser, log a console error or show
 * an error notice, and each sets the window's title to its own.
 */
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { type StudioBed, startStudio, studioSkipReason } from '../support/studio.ts'

const skip = studioSkipReason()
if (skip !== undefined) console.log(`# ${skip}`)

const ACCESS = { auditor: ['read'], operator: ['read', 'run'], admin: ['read', 'run', 'admin'] } as const

/** Collects what the page throws or logs as an error while `visit` runs. */
async function problemsOf(page: Page, visit: () => Promise<void>): Promise<string[]> {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error')
      problems.push(`console at ${page.url()}: ${message.text()} ${message.location().url}`)
  })
  await visit()
  return problems
}

const WEB = fileURLToPath(new URL('../../web/src/', import.meta.url))

/** The menu of web/src/pages.ts, read as text (the web modules compile under their own tsconfig, with JSX). */
const PAGES = [...readFileSync(path.join(WEB, 'pages.ts'), 'utf8').matchAll(/\{[^{}]*?path: '([^']*)'[^{}]*?\}/g)].map(
  ([entry, at]) => ({
    path: at!,
    title: /title: '([^']*)'/.exec(entry)![1]!,
    access: /access: '([^']*)'/.exec(entry)?.[1],
  }),
)

describe('Studio sources', () => {
  it('list the pages of the menu', () => {
    assert.ok(
      PAGES.length >= 13 && PAGES.some((p) => p.path === '/users' && p.access === 'admin'),
      JSON.stringify(PAGES),
    )
  })

  it('insert no HTML, show HTML only in sandboxed frames, and keep nothing in browser storage or on the console', () => {
    const files = readdirSync(WEB, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f))
    assert.ok(files.length > 20)
    for (const file of files) {
      const text = readFileSync(path.join(WEB, file), 'utf8')
      assert.doesNotMatch(text, /dangerouslySetInnerHTML|\.innerHTML\s*=|insertAdjacentHTML/, file)
      assert.doesNotMatch(text, /localStorage|sessionStorage|document\.cookie/, file)
      assert.doesNotMatch(text, /console\.(log|info|debug|warn|error)\(/, file)
      for (const frame of text.match(/<iframe[^>]*>/g) ?? []) assert.match(frame, /sandbox=""/, `${file}: ${frame}`)
    }
  })
})

describe('Studio pages for every role', { skip }, () => {
  let studio: StudioBed
  before(async () => {
    studio = await startStudio()
    for (const system of ['hr500', 'directory']) {
      const collected = await studio.server.as('admin').post(`/api/systems/${system}/collect`)
      assert.equal(collected.status, 200, collected.body)
    }
  })
  after(async () => {
    await studio?.close()
  })

  for (const role of ['auditor', 'operator', 'admin'] as const) {
    it(`opens every page as ${role} without an error`, async () => {
      const page = await studio.open(role, '/')
      const problems = await problemsOf(page, async () => {
        const menu = page.getByRole('navigation', { name: 'Main menu' })
        await menu.waitFor()
        for (const entry of PAGES.filter((p) => (ACCESS[role] as readonly string[]).includes(p.access ?? 'read'))) {
          await menu.getByRole('link', { name: entry.title, exact: true }).click()
          await page
            .getByRole('heading', { level: 1 })
            .first()
            .waitFor()
            .catch(async (error: Error) => {
              throw new Error(`${entry.path}: ${error.message}\n${await studio.explain(page)}`)
            })
          // Wait until every section has loaded (no Loading… left), then look for error notices.
          const loading = page.locator('.loading')
          while ((await loading.count()) > 0) await loading.first().waitFor({ state: 'detached' })
          const errors = await page.locator('.notice.error, [role="alert"]').allInnerTexts()
          assert.deepEqual(errors, [], `${role} at ${entry.path}`)
          assert.equal(await page.title(), `${entry.title} · Provisio Studio`, `title at ${entry.path}`)
        }
      })
      assert.deepEqual(problems, [])
    })
  }

  it('keeps a vault table of 250 rows usable: its header and scroll bar in view, numbers right-aligned', async () => {
    const page = await studio.open('auditor', '/systems/hr500/tables/employees')
    await page.getByLabel('Rows per page').selectOption('250')
    await page.getByText(/Rows 1–250 of 585/).waitFor()
    const table = page.getByRole('table', { name: 'Rows of hr500.employees' })
    const wrap = page.locator('.scroll-table .table-wrap')
    const box = (await wrap.boundingBox())!
    assert.ok(box.y + box.height <= 900, `the table ends at ${box.y + box.height}px, below the window`)
    await wrap.evaluate((el) => {
      ;(el as unknown as { scrollTop: number }).scrollTop = 3000
    })
    const header = (await table.getByRole('columnheader').first().boundingBox())!
    assert.ok(header.y >= box.y - 1 && header.y < box.y + 40, 'the header scrolled out of view')
    await studio.screenshot(page, 'vault-table-long')
  })

  it('asks for a filter’s required parameter instead of waiting for ever for its preview', async () => {
    const page = await studio.open('operator', '/filters/employees_in_unit')
    const preview = page.locator('.preview-panel')
    await preview.getByText('Give a value for unit above').waitFor()
    assert.equal(await preview.getByText('Loading the preview…').count(), 0)
    await preview.getByLabel('unit (string)').fill('Finance')
    await preview.getByLabel('Row count').waitFor()
    assert.equal(await preview.getByText('Give a value for unit above').count(), 0)
  })

  it('follows the links between pages to a page that loads (each kind of link once, by reloading at its address)', async () => {
    const page = await studio.open('admin', '/')
    const seen = new Set<string>()
    const shapeOf = (href: string) => {
      const url = new URL(href, studio.url)
      // One link per page and depth (and per document kind: each kind has its own editor).
      const parts = url.pathname.split('/')
      const kind = parts[1] === 'documents' ? parts[2] : ''
      return `${parts[1]}/${parts.length}/${kind}?${[...url.searchParams.keys()].sort().join('&')}`
    }
    const toVisit: string[] = []
    for (const entry of PAGES) {
      await page.goto(entry.path)
      await page.getByRole('heading', { level: 1 }).first().waitFor()
      const loading = page.locator('.loading')
      while ((await loading.count()) > 0) await loading.first().waitFor({ state: 'detached' })
      for (const href of await page
        .locator('main a[href^="/"]')
        .evaluateAll((links) =>
          links.map((a) => (a as unknown as { getAttribute(name: string): string }).getAttribute('href')),
        ))
        if (!seen.has(shapeOf(href))) {
          seen.add(shapeOf(href))
          toVisit.push(href)
        }
    }
    assert.ok(
      toVisit.some((href) => href.startsWith('/runs?job=')),
      toVisit.join(' '),
    )
    assert.ok(
      toVisit.some((href) => href.startsWith('/documents/')),
      toVisit.join(' '),
    )
    const problems = await problemsOf(page, async () => {
      for (const href of toVisit) {
        await page.goto(href)
        await page
          .getByRole('heading', { level: 1 })
          .first()
          .waitFor()
          .catch(async (error: Error) => {
            throw new Error(`${href}: ${error.message}\n${await studio.explain(page)}`)
          })
        const loading = page.locator('.loading')
        while ((await loading.count()) > 0) await loading.first().waitFor({ state: 'detached' })
        assert.deepEqual(await page.locator('.notice.error, [role="alert"]').allInnerTexts(), [], href)
      }
    })
    assert.deepEqual(problems, [])
  })
})
