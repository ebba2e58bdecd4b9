/**
 * The users of the Studio and the API (GET/POST/DELETE /api/users): role, disabled, whether the
 * password is still one-time, when they last logged in (from the administration audit's logins).
 * Adding a user, or resetting one's password, generates a one-time password, shown once. Roles
 * change and users are disabled with PATCH /api/users/:name (never the last admin: the server says so).
 */
import { type FormEvent, useState } from 'react'
import { type ApiError, api, seg } from '../../api.ts'
import { ErrorNotice, Loading } from '../../components/feedback.tsx'
import { Section } from '../../components/layout.tsx'
import { DataTable } from '../../components/table.tsx'
import { formatTime } from '../../format.ts'
import { useApi } from '../../hooks.ts'
import { type Role, useSession } from '../../session.tsx'
import { SecretOnce } from './secret-once.tsx'

interface User {
  readonly id: number
  readonly name: string
  readonly role: Role
  readonly disabled: boolean
  readonly createdAt: string
  readonly passwordChangedAt: string
  readonly mustChangePassword?: boolean
}

const ROLES: readonly { role: Role; what: string }[] = [
  { role: 'admin', what: 'everything, users and configuration included' },
  { role: 'operator', what: 'run tasks and jobs, approve, read' },
  { role: 'auditor', what: 'read only' },
]

/** How many logins the last-login column looks through (the admin audit pages; this is its largest page). */
const LOGINS_READ = 1000

function useLastLogins(): Map<string, string> {
  const logins = useApi<{ events: { actor: string; at: string }[] }>('/api/admin-audit', {
    action: 'login',
    limit: LOGINS_READ,
  })
  const last = new Map<string, string>()
  for (const e of logins.data?.events ?? []) if (!last.has(e.actor)) last.set(e.actor, e.at)
  return last
}

function AddUser({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('operator')
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [added, setAdded] = useState<{ name: string; password: string } | undefined>(undefined)
  const [pending, setPending] = useState(false)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setPending(true)
    setError(undefined)
    try {
      const answer = await api.post<{ user: User; password?: string }>('/api/users', { name: name.trim(), role })
      setAdded({ name: answer.user.name, password: answer.password ?? '' })
      setName('')
      onAdded()
    } catch (thrown) {
      setError(thrown as ApiError)
    } finally {
      setPending(false)
    }
  }
  return (
    <>
      <form className="inline" onSubmit={(e) => void submit(e)} aria-label="Add a user">
        <label>
          User name
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" size={20} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r.role} value={r.role}>
                {r.role} — {r.what}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={pending || name.trim() === ''}>
          {pending ? 'Adding…' : 'Add user'}
        </button>
      </form>
      {error !== undefined && <ErrorNotice error={error} title="The user was not added" />}
      {added !== undefined && (
        <SecretOnce
          label={`One-time password of ${added.name}`}
          value={added.password}
          warning={`It is shown only now. Hand it to ${added.name} by a safe channel: they choose their own password at their first login.`}
          onClose={() => setAdded(undefined)}
        />
      )}
    </>
  )
}

export function UsersSection() {
  const { user: me } = useSession()
  const users = useApi<{ users: User[] }>('/api/users')
  const lastLogins = useLastLogins()
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [removing, setRemoving] = useState<string | undefined>(undefined)
  const [reset, setReset] = useState<{ name: string; password: string } | undefined>(undefined)

  const change = async (name: string, body: { role?: Role; disabled?: boolean }) => {
    setError(undefined)
    try {
      await api.patch(`/api/users/${seg(name)}`, body)
      users.reload()
    } catch (thrown) {
      setError(thrown as ApiError)
    }
  }
  const resetPassword = async (name: string) => {
    setError(undefined)
    try {
      const answer = await api.post<{ password: string }>(`/api/users/${seg(name)}/password`)
      setReset({ name, password: answer.password })
      users.reload()
    } catch (thrown) {
      setError(thrown as ApiError)
    }
  }
  const remove = async (name: string) => {
    setError(undefined)
    try {
      await api.delete(`/api/users/${seg(name)}`)
      setRemoving(undefined)
      users.reload()
    } catch (thrown) {
      setError(thrown as ApiError)
    }
  }

  return (
    <Section title="Users">
      <AddUser onAdded={() => users.reload()} />
      {error !== undefined && <ErrorNotice error={error} />}
      {reset !== undefined && (
        <SecretOnce
          label={`One-time password of ${reset.name}`}
          value={reset.password}
          warning={`It is shown only now. ${reset.name}'s sessions ended; they choose their own password at their next login.`}
          onClose={() => setReset(undefined)}
        />
      )}
      {users.error !== undefined && <ErrorNotice error={users.error} />}
      {users.data === undefined ? (
        <Loading what="users" />
      ) : (
        <DataTable
          label="Users"
          rows={users.data.users}
          rowKey={(u) => u.id}
          columns={[
            {
              key: 'name',
              title: 'User',
              render: (u) => (
                <span>
                  <strong>{u.name}</strong> {u.name === me.name && <span className="muted small">(you)</span>}
                </span>
              ),
            },
            {
              key: 'role',
              title: 'Role',
              render: (u) =>
                u.name !== me.name ? (
                  <select
                    aria-label={`Role of ${u.name}`}
                    value={u.role}
                    onChange={(e) => void change(u.name, { role: e.target.value as Role })}
                  >
                    {ROLES.map((r) => (
                      <option key={r.role} value={r.role}>
                        {r.role}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className="badge neutral">{u.role}</span>
                ),
            },
            {
              key: 'state',
              title: 'State',
              render: (u) => (
                <span className="actions nowrap">
                  {u.disabled ? (
                    <span className="badge bad">disabled</span>
                  ) : (
                    <span className="badge good">active</span>
                  )}
                  {u.mustChangePassword === true && (
                    <span
                      className="badge attention"
                      title="The password is one-time: the user chooses their own at the next login"
                    >
                      one-time password
                    </span>
                  )}
                </span>
              ),
            },
            { key: 'lastLogin', title: 'Last login', render: (u) => formatTime(lastLogins.get(u.name)) },
            { key: 'passwordChangedAt', title: 'Password set', render: (u) => formatTime(u.passwordChangedAt) },
            { key: 'createdAt', title: 'Added', render: (u) => formatTime(u.createdAt) },
            {
              key: 'actions',
              title: '',
              render: (u) =>
                u.name === me.name ? null : removing === u.name ? (
                  <span className="actions nowrap" role="group" aria-label={`Remove ${u.name}?`}>
                    <span className="small">Remove {u.name}, their sessions and tokens?</span>
                    <button type="button" className="danger" onClick={() => void remove(u.name)}>
                      Remove {u.name}
                    </button>
                    <button type="button" onClick={() => setRemoving(undefined)}>
                      Keep
                    </button>
                  </span>
                ) : (
                  <span className="actions nowrap">
                    <button type="button" onClick={() => void change(u.name, { disabled: !u.disabled })}>
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                    <button type="button" onClick={() => void resetPassword(u.name)}>
                      Reset password
                    </button>
                    <button type="button" className="danger" onClick={() => setRemoving(u.name)}>
                      Remove
                    </button>
                  </span>
                ),
            },
          ]}
        />
      )}
      <p className="muted small">
        Last login comes from the administration audit (its last {LOGINS_READ.toLocaleString('en-US')} logins).
      </p>
    </Section>
  )
}
