/** Page structure: a title with actions, sections, tabs, a split view (editor beside its preview). */
import { type ReactNode, useState } from 'react'

export function Page({
  title,
  subtitle,
  actions,
  children,
}: {
  title: string
  subtitle?: ReactNode
  actions?: ReactNode
  children: ReactNode
}) {
  return (
    <section className="page" aria-label={title}>
      <header className="page-header">
        <div>
          <h1>{title}</h1>
          {subtitle !== undefined && <div className="muted">{subtitle}</div>}
        </div>
        {actions !== undefined && <div className="actions">{actions}</div>}
      </header>
      {children}
    </section>
  )
}

export function Section({ title, actions, children }: { title?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="card section">
      {(title !== undefined || actions !== undefined) && (
        <header className="section-header">
          {title !== undefined && <h2>{title}</h2>}
          {actions !== undefined && <div className="actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  )
}

export interface Tab {
  readonly id: string
  readonly label: ReactNode
  readonly content: () => ReactNode
}

export function Tabs({ tabs, initial }: { tabs: readonly Tab[]; initial?: string }) {
  const [active, setActive] = useState(initial ?? tabs[0]?.id)
  const current = tabs.find((t) => t.id === active) ?? tabs[0]
  return (
    <div className="tabs">
      <div role="tablist" className="tab-list">
        {tabs.map((tab) => (
          <button
            key={tab.id}
            role="tab"
            type="button"
            aria-selected={tab.id === current?.id}
            className={tab.id === current?.id ? 'tab active' : 'tab'}
            onClick={() => setActive(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel">{current?.content()}</div>
    </div>
  )
}

/** Two panes side by side (an editor and its live preview); stacked on narrow screens. */
export function Split({ left, right }: { left: ReactNode; right: ReactNode }) {
  return (
    <div className="split">
      <div className="split-pane">{left}</div>
      <div className="split-pane">{right}</div>
    </div>
  )
}

/** Label/value pairs. */
export function Facts({ items }: { items: readonly (readonly [ReactNode, ReactNode])[] }) {
  return (
    <dl className="facts">
      {items.map(([label, value], i) => (
        <div key={i}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}
