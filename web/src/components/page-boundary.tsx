/**
 * What a page shows when it cannot be shown: its module did not load (the server went away before
 * the page was first opened) or it failed while rendering. Without it React would unmount the whole
 * Studio and leave a blank window; with it the menu stays and the error says what to do.
 */
import { Component, type ReactNode } from 'react'

interface Props {
  /** The address: a new one clears the error (another page may well work). */
  readonly location: string
  readonly children: ReactNode
}

interface State {
  readonly error: Error | undefined
  readonly location: string
}

export class PageBoundary extends Component<Props, State> {
  override state: State = { error: undefined, location: this.props.location }

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.location === state.location ? null : { error: undefined, location: props.location }
  }

  override render() {
    const error = this.state.error
    if (error === undefined) return this.props.children
    // A module that failed to load stays failed until the window reloads it.
    const notLoaded = /dynamically imported module|Failed to fetch|Importing a module script failed/i.test(
      error.message,
    )
    return (
      <div className="notice error" role="alert">
        <div>
          <strong>{notLoaded ? 'This page could not be loaded.' : 'This page failed.'}</strong>{' '}
          <code className="code-badge">{notLoaded ? 'NETWORK' : 'CLIENT'}</code>
        </div>
        <div>{error.message}</div>
        <div className="hint">
          {notLoaded
            ? 'Is `provisio serve` still running? Reload the window once it answers again.'
            : 'Reload the window; if it fails again, report the message above.'}{' '}
          <button type="button" className="link" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </div>
    )
  }
}
