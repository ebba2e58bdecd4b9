/**
 * Secrets never sit in YAML: a secret field holds a reference, `${env:NAME}` (an environment
 * variable) or `${secret:NAME}` (the vault's encrypted secret store, docs/secrets.md), resolved only
 * when a connection is opened.
 */
import { z } from 'zod'

const REFERENCE = /\$\{(env|secret):([A-Za-z_][A-Za-z0-9_.-]*)\}/g
const WHOLE_REFERENCE = /^\$\{(env|secret):([A-Za-z_][A-Za-z0-9_.-]*)\}$/

/** Marks a zod string as a secret: only a `${env:NAME}` or `${secret:NAME}` reference is accepted, never a plain value. */
export function secretRef() {
  return z
    .string()
    .regex(WHOLE_REFERENCE, {
      message:
        'A secret must be a reference such as ${env:LDAP_PASSWORD} or ${secret:ldap-password}, never the value itself. Put the value in that environment variable, or in the secret store with `provisio secrets set ldap-password`.',
    })
    .meta({ secret: true })
}

export interface SecretSource {
  env: Readonly<Record<string, string | undefined>>
  /** Values from the secret store, loaded beforehand for the names {@link secretReferenceNames} found. */
  secrets?: ReadonlyMap<string, string> | undefined
}

/** The names of every `${secret:NAME}` reference in the strings of `value` (deeply), each once. */
export function secretReferenceNames(value: unknown): string[] {
  const names = new Set<string>()
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const match of node.matchAll(REFERENCE)) if (match[1] === 'secret') names.add(match[2]!)
    } else if (Array.isArray(node)) node.forEach(visit)
    else if (node !== null && typeof node === 'object') Object.values(node).forEach(visit)
  }
  visit(value)
  return [...names]
}

/** Replaces every `${env:NAME}` and `${secret:NAME}` in `text`; `onMissing` is called for each name that has no value. */
export function resolveReferences(
  text: string,
  source: SecretSource,
  onMissing: (kind: string, name: string) => never,
): string {
  return text.replace(REFERENCE, (_whole, kind: string, name: string) => {
    const value = kind === 'env' ? source.env[name] : source.secrets?.get(name)
    if (value !== undefined) return value
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
