/**
 * API tokens for scripts (GET/POST/DELETE /api/tokens): an admin sees everyone's. A new token acts
 * as the admin who makes it and is shown once; revoking one takes effect at once.
 */
import { type FormEvent, useState } from 'react'
import { type ApiError, api, seg } from '../../api.ts'
import { ErrorNotice, Loading } from '../../components/feedback.tsx'
import { Section } from '../../components/layout.tsx'
import { DataTable } from '../../components/table.tsx'
import { formatTime } from '../../format.ts'
import { useApi } from '../../hooks.ts'
import { SecretOnce } from './secret-once.tsx'

interface Token {
  readonly id: number
  readonly label: string
  readonly user: string
  readonly createdAt: string
  readonly lastUsedAt: string | null
  readonly expiresAt: string | null
}

export function TokensSection() {
  const tokens = useApi<{ tokens: Token[] }>('/api/tokens')
  const [label, setLabel] = useState('')
  const [expires, setExpires] = useState('')
  const [made, setMade] = useState<{ label: string; token: string } | undefined>(undefined)
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [revoking, setRevoking] = useState<number | undefined>(undefined)

  const add = async (event: FormEvent) => {
    event.preventDefault()
    setError(undefined)
    try {
      const body = expires === '' ? { label } : { label, expiresAt: new Date(`${expires}T23:59:59`).toISOString() }
      const answer = await api.post<{ label: string; token: string }>('/api/tokens', body)
      setMade(answer)
      setLabel('')
      setExpires('')
      tokens.reload()
    } catch (thrown) {
      setError(thrown as ApiError)
    }
  }
  const revoke = async (id: number) => {
    setError(undefined)
    try {
      await api.delete(`/api/tokens/${seg(id)}`)
      setRevoking(undefined)
      tokens.reload()
    } catch (thrown) {
      setError(thrown as ApiError)
    }
  }

  return (
    <Section
      title="API tokens"
      actions={
        <span className="muted small">
          For scripts: <code>Authorization: Bearer …</code>
        </span>
      }
    >
      <form className="inline" onSubmit={(e) => void add(e)} aria-label="New API token">
        <label>
          Label
          <input
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            placeholder="nightly export script"
            size={28}
          />
        </label>
        <label>
          Expires (optional)
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={label.trim() === ''}>
          Make token
        </button>
      </form>
      {made !== undefined && (
        <SecretOnce
          label={`API token “${made.label}”`}
          value={made.token}
          warning="This token is shown only now: the server keeps only its hash. It acts as you, with your role."
          onClose={() => setMade(undefined)}
        />
      )}
      {error !== undefined && <ErrorNotice error={error} />}
      {tokens.error !== undefined && <ErrorNotice error={tokens.error} />}
      {tokens.data === undefined ? (
        <Loading what="tokens" />
      ) : (
        <DataTable
          label="API tokens"
          rows={tokens.data.tokens}
          rowKey={(t) => t.id}
          empty="No API tokens."
          columns={[
            { key: 'label', title: 'Label', render: (t) => <strong>{t.label}</strong> },
            { key: 'user', title: 'Acts as' },
            { key: 'createdAt', title: 'Made', render: (t) => formatTime(t.createdAt) },
            {
              key: 'lastUsedAt',
              title: 'Last used',
              render: (t) => (t.lastUsedAt === null ? 'never' : formatTime(t.lastUsedAt)),
            },
            {
              key: 'expiresAt',
              title: 'Expires',
              render: (t) => (t.expiresAt === null ? 'never' : formatTime(t.expiresAt)),
            },
            {
              key: 'revoke',
              title: '',
              render: (t) =>
                revoking === t.id ? (
                  <span className="actions nowrap">
                    <button type="button" className="danger" onClick={() => void revoke(t.id)}>
                      Revoke {t.label}
                    </button>
                    <button type="button" onClick={() => setRevoking(undefined)}>
                      Keep
                    </button>
                  </span>
                ) : (
                  <button type="button" className="danger" onClick={() => setRevoking(t.id)}>
                    Revoke
                  </button>
                ),
            },
          ]}
        />
      )}
    </Section>
  )
}
