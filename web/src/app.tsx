/**
 * The Studio's frame: the menu (pages.ts), the user with their role and a log-out, and the page
 * whose path the address starts with. Addresses are real paths (`/runs/42`), so a link can be
 * shared and reloaded; the server answers index.html for any path outside /api.
 */
import { Suspense, useEffect } from 'react'
import { Link, Route, Switch, useLocation } from 'wouter'
import { Loading } from './components/feedback.tsx'
import { PageBoundary } from './components/page-boundary.tsx'
import { PAGES, type PageEntry } from './pages.ts'
import { useSession } from './session.tsx'

const GROUPS = ['Overview', 'Data', 'Identity logic', 'Running', 'Oversight', 'Administration'] as const

function isActive(page: PageEntry, location: string): boolean {
  return page.path === '/' ? location === '/' : location === page.path || location.startsWith(`${page.path}/`)
}

export function App() {
  const { user, can, logout } = useSession()
  const [location] = useLocation()
  const visible = PAGES.filter((p) => can(p.access ?? 'read'))
  const current = visible.find((p) => isActive(p, location))
  // The window's title names the page, so tabs and the browser's history can be told apart.
  useEffect(() => {
    document.title = current === undefined ? 'Provisio Studio' : `${current.title} · Provisio Studio`
  }, [current])
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main menu">
        <Link href="/" className="brand">
          Provisio <span>Studio</span>
        </Link>
        {GROUPS.map((group) => {
          const pages = visible.filter((p) => p.group === group)
          if (pages.length === 0) return null
          return (
            <div key={group} className="nav-group">
              <div className="nav-group-title">{group}</div>
              {pages.map((p) => (
                <Link
                  key={p.path}
                  href={p.path}
                  className={p === current ? 'nav-link active' : 'nav-link'}
                  aria-current={p === current ? 'page' : undefined}
                >
                  {p.title}
                </Link>
              ))}
            </div>
          )
        })}
        <div className="user-box">
          <div>
            <strong>{user.name}</strong> <span className="muted">{user.role}</span>
          </div>
          <button type="button" className="link" onClick={() => void logout()}>
            Log out
          </button>
        </div>
      </nav>
      <main className="content">
        <PageBoundary location={location}>
          <Suspense fallback={<Loading />}>
            <Switch>
              {visible.map((p) => (
                <Route key={p.path} path={p.path === '/' ? '/' : `${p.path}/*?`} component={p.component} />
              ))}
              <Route>
                <div className="notice error">There is no page at {location}.</div>
              </Route>
            </Switch>
          </Suspense>
        </PageBoundary>
      </main>
    </div>
  )
}
