/**
 * Name and password generators: what each makes and from which expressions, and a preview on sample
 * rows (POST /api/generators/:name/preview): the first rows of a filter, one row picked by its
 * identity, or a row typed in. Names are checked unique against the vault and not reserved; a
 * sample password is made for the answer only and never stored.
 */
import { useState } from 'react'
import { Link, useLocation, useRoute } from 'wouter'
import { type ApiError, api, seg } from '../api.ts'
import { ErrorNotice, Loading, Notice } from '../components/feedback.tsx'
import { Facts, Page, Section } from '../components/layout.tsx'
import { type Column, DataTable } from '../components/table.tsx'
import { formatValue } from '../format.ts'
import { useApi } from '../hooks.ts'

interface NameRule {
  readonly name: string
  readonly methods: readonly string[]
  readonly uniqueIn: readonly string[]
  readonly maxLength?: number
  readonly multiValued: boolean
}

interface Generator {
  readonly name: string
  readonly kind: 'NameGenerator' | 'PasswordGenerator'
  readonly description?: string
  readonly file: string
  readonly filter?: string
  readonly names?: readonly NameRule[]
  readonly password?: {
    readonly minLength: number
    readonly maxLength: number
    readonly classes: readonly { name: string; min: number }[]
    readonly excludeSimilar: boolean
  }
}

interface PreviewAnswer {
  readonly generator: string
  readonly filter: string
  readonly names: readonly string[]
  readonly rows: readonly {
    row: string
    values: Record<string, unknown>
    error?: { code: string; message: string }
    password?: string
  }[]
}

interface FilterRun {
  readonly columns: readonly { name: string; type: string }[]
  readonly rows: readonly Record<string, unknown>[]
}

/** A generator's name, linked to its page, with its description: the first column of both lists. */
const GENERATOR_COLUMN: Column<Generator> = {
  key: 'name',
  title: 'Generator',
  render: (g) => (
    <div>
      <Link href={`/generators/${seg(g.name)}`}>
        <strong>{g.name}</strong>
      </Link>
      {g.description !== undefined && <div className="muted small">{g.description}</div>}
    </div>
  ),
}

function GeneratorList({ generators }: { generators: readonly Generator[] }) {
  const [, navigate] = useLocation()
  const names = generators.filter((g) => g.kind === 'NameGenerator')
  const passwords = generators.filter((g) => g.kind === 'PasswordGenerator')
  return (
    <>
      <Section title="Name generators">
        <DataTable
          label="Name generators"
          rows={names}
          rowKey={(g) => g.name}
          onRowClick={(g) => navigate(`/generators/${seg(g.name)}`)}
          empty="The project has no NameGenerator."
          columns={[
            GENERATOR_COLUMN,
            {
              key: 'names',
              title: 'Names it makes',
              render: (g) => (g.names ?? []).map((n) => <code key={n.name}>{n.name} </code>),
            },
            {
              key: 'methods',
              title: 'Methods (tried in turn)',
              render: (g) => (
                <span className="small">{(g.names ?? []).reduce((sum, n) => sum + n.methods.length, 0)}</span>
              ),
            },
            {
              key: 'unique',
              title: 'Unique in',
              render: (g) =>
                [...new Set((g.names ?? []).flatMap((n) => n.uniqueIn))].map((c) => (
                  <div key={c} className="small">
                    <code>{c}</code>
                  </div>
                )),
            },
            {
              key: 'filter',
              title: 'Rows from',
              render: (g) => (g.filter === undefined ? '—' : <code>{g.filter}</code>),
            },
          ]}
        />
      </Section>
      <Section title="Password generators">
        <DataTable
          label="Password generators"
          rows={passwords}
          rowKey={(g) => g.name}
          onRowClick={(g) => navigate(`/generators/${seg(g.name)}`)}
          empty="The project has no PasswordGenerator."
          columns={[
            GENERATOR_COLUMN,
            {
              key: 'length',
              title: 'Length',
              render: (g) => `${g.password?.minLength ?? '?'}–${g.password?.maxLength ?? '?'}`,
            },
            {
              key: 'classes',
              title: 'Character classes',
              render: (g) => (g.password?.classes ?? []).map((c) => `${c.name} ≥ ${c.min}`).join(', '),
            },
            {
              key: 'similar',
              title: 'Similar characters',
              render: (g) => (g.password?.excludeSimilar === true ? 'excluded' : 'allowed'),
            },
          ]}
        />
      </Section>
    </>
  )
}

type Mode = 'first' | 'key' | 'typed'

/** The sample rows: the first of a filter, the one with an identity, or one typed in. */
function PreviewForm({
  generator,
  filters,
  onPreview,
  pending,
}: {
  generator: Generator
  filters: readonly string[]
  onPreview: (body: Record<string, unknown>) => void
  pending: boolean
}) {
  const [filter, setFilter] = useState(generator.filter ?? filters[0] ?? '')
  const [mode, setMode] = useState<Mode>('first')
  const [count, setCount] = useState(10)
  const [key, setKey] = useState('')
  const [typed, setTyped] = useState<Record<string, string> | undefined>(undefined)
  const [typedError, setTypedError] = useState<ApiError | undefined>(undefined)

  // Typing a row starts from the filter's first row, so every column is there to change.
  const startTyping = async () => {
    setMode('typed')
    setTypedError(undefined)
    try {
      const first = await api.post<FilterRun>(`/api/filters/${seg(filter)}/run`, { limit: 1 })
      const row = first.rows[0] ?? {}
      setTyped(Object.fromEntries(first.columns.map((c) => [c.name, row[c.name] == null ? '' : String(row[c.name])])))
    } catch (thrown) {
      setTypedError(thrown as ApiError)
    }
  }

  const submit = () => {
    // The filter list may arrive after the form: a generator without its own filter takes the first.
    const chosen = filter !== '' ? filter : (generator.filter ?? filters[0] ?? '')
    const base = chosen === '' ? {} : { filter: chosen }
    if (mode === 'first') onPreview({ ...base, count })
    else if (mode === 'key') onPreview({ ...base, key, count: 1 })
    else onPreview({ ...base, row: typed ?? {} })
  }

  return (
    <form
      className="preview-form"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      <div className="toolbar">
        <label>
          Rows from filter
          <select
            value={filter !== '' ? filter : (filters[0] ?? '')}
            onChange={(e) => setFilter(e.target.value)}
            aria-label="Rows from filter"
          >
            {filters.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <div className="segmented" role="radiogroup" aria-label="Sample rows">
          {(
            [
              ['first', 'First rows'],
              ['key', 'One row by identity'],
              ['typed', 'Type a row'],
            ] as const
          ).map(([value, label]) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={mode === value}
              className={mode === value ? 'active' : undefined}
              onClick={() => (value === 'typed' ? void startTyping() : setMode(value))}
            >
              {label}
            </button>
          ))}
        </div>
        {mode === 'first' && (
          <label>
            Rows
            <input
              type="number"
              min={1}
              max={100}
              value={count}
              onChange={(e) => setCount(Math.max(1, Math.min(100, Number(e.target.value) || 1)))}
              style={{ width: 80 }}
            />
          </label>
        )}
        {mode === 'key' && (
          <label>
            Identity (first column)
            <input value={key} onChange={(e) => setKey(e.target.value)} placeholder="e.g. 1001" />
          </label>
        )}
        <button type="submit" className="primary" disabled={pending || (mode === 'key' && key.trim() === '')}>
          {pending ? 'Previewing…' : 'Preview'}
        </button>
      </div>
      {mode === 'typed' && typedError !== undefined && <ErrorNotice error={typedError} />}
      {mode === 'typed' && typed !== undefined && (
        <div className="typed-row" aria-label="Typed row">
          {Object.entries(typed).map(([column, value]) => (
            <label key={column}>
              {column}
              <input value={value} onChange={(e) => setTyped({ ...typed, [column]: e.target.value })} />
            </label>
          ))}
        </div>
      )}
    </form>
  )
}

function PreviewResult({ generator, answer }: { generator: Generator; answer: PreviewAnswer }) {
  const isPassword = generator.kind === 'PasswordGenerator'
  return (
    <div>
      {isPassword && (
        <Notice>
          Sample passwords are made for this preview only: they are never stored, logged or used for an account.
        </Notice>
      )}
      <DataTable
        label="Generated"
        rows={answer.rows}
        empty="The filter gave no row to preview."
        columns={[
          { key: 'row', title: 'Row (identity)', render: (r) => <code>{r.row}</code> },
          ...answer.names.map((name) => ({
            key: `name:${name}`,
            title: name,
            render: (r: PreviewAnswer['rows'][number]) =>
              r.error !== undefined ? (
                <span className="error-text small">
                  {r.error.message} <code className="code-badge">{r.error.code}</code>
                </span>
              ) : (
                <strong>{formatValue(r.values[name])}</strong>
              ),
          })),
          ...(answer.rows.some((r) => r.password !== undefined)
            ? [
                {
                  key: 'password',
                  title: 'Sample password',
                  render: (r: PreviewAnswer['rows'][number]) => <code className="secret-sample">{r.password}</code>,
                },
              ]
            : []),
        ]}
      />
    </div>
  )
}

function GeneratorDetail({ generator, filters }: { generator: Generator; filters: readonly string[] }) {
  const [answer, setAnswer] = useState<PreviewAnswer | undefined>(undefined)
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [pending, setPending] = useState(false)
  const preview = async (body: Record<string, unknown>) => {
    setPending(true)
    setError(undefined)
    try {
      setAnswer(await api.post<PreviewAnswer>(`/api/generators/${seg(generator.name)}/preview`, body))
    } catch (thrown) {
      setError(thrown as ApiError)
    } finally {
      setPending(false)
    }
  }
  return (
    <>
      <Section title={generator.kind}>
        <Facts
          items={[
            ['File', generator.file],
            ...(generator.filter === undefined
              ? []
              : [['Rows from', <code key="f">{generator.filter}</code>] as const]),
            ...(generator.password === undefined
              ? []
              : ([
                  ['Length', `${generator.password.minLength}–${generator.password.maxLength}`],
                  ['Classes', generator.password.classes.map((c) => `${c.name} ≥ ${c.min}`).join(', ')],
                  ['Similar characters', generator.password.excludeSimilar ? 'excluded' : 'allowed'],
                ] as const)),
          ]}
        />
        {(generator.names ?? []).map((n) => (
          <div key={n.name} className="name-rule">
            <h3>
              <code>{n.name}</code>
              {n.maxLength !== undefined && <span className="muted small"> at most {n.maxLength} characters</span>}
              {n.multiValued && <span className="badge neutral">multi-valued</span>}
            </h3>
            <ol className="methods">
              {n.methods.map((m, i) => (
                <li key={i}>
                  <code>{m}</code>
                  {i > 0 && <span className="muted small"> — when the ones above are taken</span>}
                </li>
              ))}
            </ol>
            <div className="muted small">
              Unique in {n.uniqueIn.length === 0 ? 'nothing (no check)' : n.uniqueIn.map((c) => c).join(', ')}
            </div>
          </div>
        ))}
      </Section>
      <Section title="Preview on sample rows">
        <p className="muted small">
          {generator.kind === 'NameGenerator'
            ? 'Methods are tried in turn: a name already in the vault where it must be unique, or given to an earlier row of this preview, falls through to the next method. Nothing is reserved.'
            : 'A password for each sample row, following the rules above.'}
        </p>
        <PreviewForm generator={generator} filters={filters} onPreview={(b) => void preview(b)} pending={pending} />
        {error !== undefined && <ErrorNotice error={error} />}
        {answer !== undefined && <PreviewResult generator={generator} answer={answer} />}
      </Section>
    </>
  )
}

export default function GeneratorsPage() {
  const [isOne, params] = useRoute<{ name: string }>('/generators/:name')
  const { data, error } = useApi<{ generators: Generator[] }>('/api/generators')
  const filters = useApi<{ filters: { name: string }[] }>('/api/filters')
  const name = isOne ? decodeURIComponent(params.name) : undefined
  const generator = data?.generators.find((g) => g.name.toLowerCase() === name?.toLowerCase())
  return (
    <Page
      title={name ?? 'Generators'}
      subtitle={
        name === undefined ? (
          'Unique account names and passwords for mappings, previewed on sample rows before any run.'
        ) : (
          <span>
            <Link href="/generators">Generators</Link> / {name}
          </span>
        )
      }
    >
      {error !== undefined && <ErrorNotice error={error} />}
      {data === undefined && error === undefined && <Loading what="the generators" />}
      {data !== undefined && name === undefined && <GeneratorList generators={data.generators} />}
      {data !== undefined && name !== undefined && generator === undefined && (
        <Notice kind="warning">The project has no generator named {name}.</Notice>
      )}
      {generator !== undefined && (
        <GeneratorDetail
          key={generator.name}
          generator={generator}
          filters={
            filters.data?.filters.map((f) => f.name) ?? (generator.filter === undefined ? [] : [generator.filter])
          }
        />
      )}
    </Page>
  )
}
