/**
 * Secrets never sit in YAML (DESIGN.md §3): a secret is written as a `${env:NAME}` or
 * `${secret:NAME}` reference and resolved only when a connection is opened. Connector schemas mark their secret fields with core's
 * `secretRef()`; the check here catches plain values even before the connector's schema runs, by
 * the key's name.
 */
import { resolveAllReferences } from '../core/index.ts'
import type { Issue } from '../core/index.ts'
import { configError } from './errors.ts'
import { issueAt } from './issues.ts'
import type { LoadedDocument } from './loaded-document.ts'
import type { DocumentPath } from './yaml-positions.ts'

// Suffixes, not substrings: `bindPassword` and `clientSecret` are secrets, `tokenUrl` and
// `passwordPolicy` are not. Compared lower-case with `_` and `-` removed, so `api_key` = `apiKey`.
const SECRET_SUFFIXES = ['password', 'passwd', 'secret', 'token', 'apikey', 'privatekey', 'secretkey']

const REFERENCE = /\$\{(?:env|secret):[A-Za-z_][A-Za-z0-9_.-]*\}/

/** Whether a configuration key names a secret by its spelling (password, clientSecret, api_key…). */
export function looksLikeSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[_-]/g, '')
  return SECRET_SUFFIXES.some((suffix) => normalized.endsWith(suffix))
}

/**
 * CFG_PLAIN_SECRET for every secret-looking key under `path` of `document` whose value is written
 * out instead of referenced. The issue never carries the value, and neither does its message.
 */
export function plainSecretIssues(document: LoadedDocument, value: unknown, path: DocumentPath): Issue[] {
  const issues: Issue[] = []
  const walk = (node: unknown, at: DocumentPath): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...at, i]))
      return
    }
    if (node === null || typeof node !== 'object') return
    for (const [key, child] of Object.entries(node)) {
      if (looksLikeSecretKey(key) && isPlainValue(child)) {
        issues.push(issueAt(document, 'CFG_PLAIN_SECRET', plainSecretMessage(key), [...at, key]))
      } else {
        walk(child, [...at, key])
      }
    }
  }
  walk(value, path)
  return issues
}

function isPlainValue(value: unknown): boolean {
  // An empty string leaks nothing; a number or a string without any reference is the secret itself.
  if (typeof value === 'number') return true
  return typeof value === 'string' && value !== '' && !REFERENCE.test(value)
}

/** The message of CFG_PLAIN_SECRET for a key; names the key and a suggested variable, never the value. */
export function plainSecretMessage(key: string): string {
  return `'${key}' holds a plain value; a secret must be a reference such as \${env:${envName(key)}}.`
}

/** `bindPassword` → `BIND_PASSWORD`, a suggestion for the environment variable's name. */
function envName(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase()
}

/** Thrown inside the probe only; never leaves resolveSystemSecrets. */
class MissingReference extends Error {
  constructor(
    readonly kind: string,
    readonly reference: string,
  ) {
    super(`${kind}:${reference}`)
  }
}

/**
 * Resolves every `${env:NAME}` reference in a system's raw `config` (deeply, in every string), and
 * every `${secret:NAME}` from `options.secrets` (the values the caller loaded from the vault's secret
 * store). Throws CFG_SECRET_UNRESOLVED naming every missing variable and secret, never a value.
 *
 * @example
 * const config = resolveSystemSecrets(system.config, process.env, { system: system.name, secrets })
 */
export function resolveSystemSecrets<T extends Readonly<Record<string, unknown>>>(
  config: T,
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly system?: string; readonly secrets?: ReadonlyMap<string, string> | undefined } = {},
): T {
  const source = { env, secrets: options.secrets }
  const missing = new Map<string, MissingReference>()
  // Collect every missing name first, so one error lists them all instead of one per attempt.
  const probe = (kind: string, name: string): never => {
    missing.set(`${kind}:${name}`, new MissingReference(kind, name))
    throw new MissingReference(kind, name)
  }
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      let text = value
      for (;;) {
        try {
          resolveAllReferences(text, source, probe)
          return
        } catch (error) {
          if (!(error instanceof MissingReference)) throw error
          text = text.replace(`\${${error.kind}:${error.reference}}`, '')
        }
      }
    }
    if (Array.isArray(value)) value.forEach(visit)
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit)
  }
  visit(config)
  if (missing.size > 0) throw unresolved([...missing.values()], options.system)
  return resolveAllReferences(config, source, (kind, name) => {
    throw unresolved([new MissingReference(kind, name)], options.system)
  })
}

function unresolved(references: readonly MissingReference[], system: string | undefined) {
  const where = system === undefined ? 'The configuration' : `System '${system}'`
  const envNames = references.filter((r) => r.kind !== 'secret').map((r) => r.reference)
  const secretNames = references.filter((r) => r.kind === 'secret').map((r) => r.reference)
  const part = (names: string[], one: string, many: string, why: string) =>
    names.length === 0
      ? []
      : [`${names.length === 1 ? one : many} ${names.join(', ')}, which ${names.length === 1 ? 'is' : 'are'} ${why}`]
  const parts = [
    ...part(envNames, 'environment variable', 'environment variables', 'not set'),
    ...part(secretNames, 'secret', 'secrets', 'not in the secret store'),
  ]
  const names = references.map((r) => (r.kind === 'secret' ? `\${secret:${r.reference}}` : r.reference))
  return configError('CFG_SECRET_UNRESOLVED', `${where} refers to ${parts.join(', and ')}.`, {
    details: { missing: names },
    ...(secretNames.length === 0
      ? {}
      : { hint: secretNames.map((n) => `Set it with: provisio secrets set ${n}`).join('; ') + ' (docs/secrets.md).' }),
  })
}
