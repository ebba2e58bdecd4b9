/**
 * The Studio's pages, in the order of the menu (grouped like NIM Studio's: data in, identity logic,
 * running, oversight). Each page is its own module under pages/, loaded when first opened, and owns
 * the paths under its `path` (`/runs/:id` is the runs page's).
 */
import { type ComponentType, lazy } from 'react'

export interface PageEntry {
  /** The menu's link, and the prefix of every path the page owns. */
  readonly path: string
  readonly title: string
  readonly group: 'Overview' | 'Data' | 'Identity logic' | 'Running' | 'Oversight' | 'Administration'
  /** Who sees it in the menu (the server checks every request anyway). @default 'read' */
  readonly access?: 'read' | 'run' | 'admin'
  readonly component: ComponentType
}

export const PAGES: readonly PageEntry[] = [
  { path: '/', title: 'Dashboard', group: 'Overview', component: lazy(() => import('./pages/dashboard.tsx')) },
  { path: '/systems', title: 'Systems', group: 'Data', component: lazy(() => import('./pages/systems.tsx')) },
  { path: '/links', title: 'Links', group: 'Data', component: lazy(() => import('./pages/links.tsx')) },
  { path: '/filters', title: 'Filters', group: 'Identity logic', component: lazy(() => import('./pages/filters.tsx')) },
  {
    path: '/generators',
    title: 'Generators',
    group: 'Identity logic',
    component: lazy(() => import('./pages/generators.tsx')),
  },
  {
    path: '/mappings',
    title: 'Mappings',
    group: 'Identity logic',
    component: lazy(() => import('./pages/mappings.tsx')),
  },
  { path: '/roles', title: 'Roles', group: 'Identity logic', component: lazy(() => import('./pages/roles.tsx')) },
  { path: '/jobs', title: 'Jobs and tasks', group: 'Running', component: lazy(() => import('./pages/jobs.tsx')) },
  { path: '/runs', title: 'Runs', group: 'Running', component: lazy(() => import('./pages/runs.tsx')) },
  { path: '/audit', title: 'Audit', group: 'Oversight', component: lazy(() => import('./pages/audit.tsx')) },
  {
    path: '/events',
    title: 'Events and templates',
    group: 'Oversight',
    component: lazy(() => import('./pages/events.tsx')),
  },
  {
    path: '/documents',
    title: 'Configuration',
    group: 'Administration',
    component: lazy(() => import('./pages/documents.tsx')),
  },
  {
    path: '/users',
    title: 'Users',
    group: 'Administration',
    access: 'admin',
    component: lazy(() => import('./pages/users.tsx')),
  },
]
