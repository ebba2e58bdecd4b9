/**
 * Who is logged in: the session (a cookie the browser keeps; the CSRF token in memory), the login
 * form, and the forced password change of a one-time password. Every page reads the user from
 * `useSession()` to show only what the role may do (the server checks it again on every request).
 */
import { type FormEvent, type ReactNode, createContext, useCallback, useContext, useEffect, useState } from 'react'
import { ApiError, api, onSessionLost, setCsrfToken } from './api.ts'
import { ErrorNotice } from './components/feedback.tsx'

export type Role = 'admin' | 'operator' | 'auditor'

export interface SessionUser {
  readonly id: number
  readonly name: string
  readonly role: Role
}

interface SessionAnswer {
  readonly user: SessionUser
  readonly csrfToken: string | null
  readonly mustChangePassword?: boolean
}

interface SessionValue {
  readonly user: SessionUser
  /** Whether the user's role includes `access` (the same table as the server's ROLE_ACCESS). */
  readonly can: (access: 'read' | 'run' | 'admin') => boolean
  readonly logout: () => Promise<void>
}

const ROLE_ACCESS: Record<Role, readonly string[]> = {
  admin: ['read', 'run', 'admin'],
  operator: ['read', 'run'],
  auditor: ['read'],
}

const SessionContext = createContext<SessionValue | undefined>(undefined)

export function useSession(): SessionValue {
  const value = useContext(SessionContext)
  if (value === undefined) throw new Error('useSession outside <SessionGate>')
  return value
}

type State =
  | { readonly step: 'checking' }
  | { readonly step: 'login'; readonly notice?: string }
  | { readonly step: 'change-password'; readonly user: SessionUser }
  | { readonly step: 'ready'; readonly user: SessionUser }

/** Renders `children` once a user is logged in (and has no one-time password left to change). */
export function SessionGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ step: 'checking' })

  const accept = useCallback((answer: SessionAnswer) => {
    setCsrfToken(answer.csrfToken)
    setState(
      answer.mustChangePassword ? { step: 'change-password', user: answer.user } : { step: 'ready', user: answer.user },
    )
  }, [])

  useEffect(() => {
    onSessionLost(() => {
      setCsrfToken(null)
      setState({ step: 'login', notice: 'Your session ended; log in again.' })
    })
    api.get<SessionAnswer>('/api/session').then(accept, () => setState({ step: 'login' }))
  }, [accept])

  const logout = useCallback(async () => {
    try {
      await api.delete('/api/session')
    } finally {
      setCsrfToken(null)
      setState({ step: 'login', notice: 'You are logged out.' })
    }
  }, [])

  switch (state.step) {
    case 'checking':
      return <div className="center-screen muted">Loading…</div>
    case 'login':
      return <LoginForm notice={state.notice} onLoggedIn={accept} />
    case 'change-password':
      return <ChangePasswordForm user={state.user} onChanged={() => setState({ step: 'ready', user: state.user })} />
    case 'ready': {
      const user = state.user
      const value: SessionValue = { user, can: (access) => ROLE_ACCESS[user.role].includes(access), logout }
      return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
    }
  }
}

function LoginForm({
  notice,
  onLoggedIn,
}: {
  notice?: string | undefined
  onLoggedIn: (answer: SessionAnswer) => void
}) {
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<ApiError | undefined>()
  const [pending, setPending] = useState(false)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setPending(true)
    setError(undefined)
    try {
      onLoggedIn(await api.post<SessionAnswer>('/api/session', { name, password }))
    } catch (thrown) {
      setError(thrown instanceof ApiError ? thrown : new ApiError(0, 'CLIENT', String(thrown)))
    } finally {
      setPending(false)
    }
  }
  return (
    <div className="center-screen">
      <form className="card login" onSubmit={submit} aria-label="Log in">
        <h1 className="brand-large">Provisio Studio</h1>
        {notice !== undefined && <p className="muted">{notice}</p>}
        <label>
          User name
          <input name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error !== undefined && <ErrorNotice error={error} />}
        <button type="submit" className="primary" disabled={pending || name === '' || password === ''}>
          {pending ? 'Logging in…' : 'Log in'}
        </button>
        <p className="muted small">
          No user yet? An administrator creates one with <code>provisio users add NAME --role admin</code>.
        </p>
      </form>
    </div>
  )
}

function ChangePasswordForm({ user, onChanged }: { user: SessionUser; onChanged: () => void }) {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [error, setError] = useState<ApiError | undefined>()
  const [pending, setPending] = useState(false)
  const mismatch = repeat !== '' && next !== repeat
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    // Enter submits the form even while the button is off: only a complete form goes out, once.
    if (pending || current === '' || next.length < 12 || next !== repeat) return
    setPending(true)
    setError(undefined)
    try {
      await api.post('/api/session/password', { current, new: next })
      onChanged()
    } catch (thrown) {
      setError(thrown instanceof ApiError ? thrown : new ApiError(0, 'CLIENT', String(thrown)))
    } finally {
      setPending(false)
    }
  }
  return (
    <div className="center-screen">
      <form className="card login" onSubmit={submit} aria-label="Change password">
        <h1 className="brand-large">Choose your password</h1>
        <p className="muted">
          {user.name}, you logged in with a one-time password. Choose your own (at least 12 characters) to go on.
        </p>
        <label>
          One-time password
          <input
            type="password"
            name="current"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </label>
        <label>
          New password
          <input
            type="password"
            name="new"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </label>
        <label>
          New password again
          <input
            type="password"
            name="repeat"
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
        </label>
        {mismatch && <p className="error-text">The two new passwords differ.</p>}
        {error !== undefined && <ErrorNotice error={error} />}
        <button
          type="submit"
          className="primary"
          disabled={pending || current === '' || next.length < 12 || next !== repeat}
        >
          {pending ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </div>
  )
}
