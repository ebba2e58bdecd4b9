/**
 * Secrets never sit in YAML: a secret field holds a reference, `${env:NAME}` (an environment
 * variable), resolved only when a connection is opened. The encrypted secret store (`${secret:name}`)
 * joins with the server.
 */
import { z } from 'zod'

const REFERENCE = /\$\{(env|secret):([A-Za-z_][A-Za-z0-9_.-]*)\}/g
const WHOLE_REFERENCE = /^\$\{(env|secret):([A-Za-z_][A-Za-z0-9_.-]*)\}$/

/** Marks a zod string as a secret: only a `${env:NAME}` reference is accepted, never a plain value. */
export function secretRef() {
  return z
    .string()
    .regex(WHOLE_REFERENCE, {
      message:
        'A secret must be a reference such as ${env:LDAP_PASSWORD}, never the value itself. Put the value in that environment variable.',
    })
    .meta({ secret: true })
}

export interface SecretSource {
  env: Readonly<Record<string, string | undefined>>
}

/** Replaces every `${env:NAME}` in `text`; `onMissing` is called for each name that has no value. */
export function resolveReferences(
  text: string,
  source: SecretSource,
  onMissing: (kind: string, name: string) => never,
): string {
  return text.replace(REFERENCE, (_whole, kind: string, name: string) => {
    if (kind === 'env') {
      const value = source.env[name]
      if (value !== undefined) return value
    }
    return onMissing(kind, name)
  })
}

/** Deeply resolves references in every string of a parsed configuration object. */
export function resolveAllReferences<T>(
  value: T,
  source: SecretSource,
  onMissing: (kind: string, name: string) => never,
): T {
  if (typeof value === 'string') return resolveReferences(value, source, onMissing) as T
  if (Array.isArray(value)) return value.map((v) => resolveAllReferences(v, source, onMissing)) as T
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveAllReferences(v, source, onMissing)]),
    ) as T
  }
  return value
}
