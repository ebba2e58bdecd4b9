/**
 * The attribute types of a directory's subschema (RFC 4512 §4.1.2): for each attribute its names,
 * its syntax (inherited through SUP, as OpenLDAP's `cn SUP name` does) and whether it is
 * SINGLE-VALUE, and its EQUALITY matching rule (also inherited). Discovery proposes column types,
 * and case-insensitive comparison for case-ignoring rules, from them.
 */
import type { Client } from 'ldapts'
import { readRootDse } from './ldap-root-dse.ts'
import { valuesOf } from './ldap-values.ts'

export interface AttributeType {
  readonly oid: string
  /** The names, the first as the schema spells it (`cn`, then `commonName`). */
  readonly names: readonly string[]
  /** The syntax OID, inherited from the supertype when the type names none; '' when unknown. */
  readonly syntax: string
  readonly singleValue: boolean
  /** The EQUALITY matching rule (`caseIgnoreMatch`), inherited like the syntax; '' when none is named (AD). */
  readonly equality: string
}

interface RawType {
  readonly oid: string
  readonly names: string[]
  readonly syntax: string | undefined
  readonly equality: string | undefined
  readonly sup: string | undefined
  readonly singleValue: boolean
}

/** Splits a description into `(`, `)`, quoted strings (unquoted, `\27` and `\5c` decoded) and words. */
function tokens(text: string): string[] {
  const out: string[] = []
  const pattern = /\s*(?:([()])|'((?:[^'\\]|\\[0-9a-fA-F]{2})*)'|([^\s()']+))/gy
  for (let m = pattern.exec(text); m !== null && m[0] !== ''; m = pattern.exec(text)) {
    if (m[2] !== undefined)
      out.push(`'${m[2].replace(/\\([0-9a-fA-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)))}`)
    else out.push(m[1] ?? m[3]!)
  }
  return out
}

/** The words of a `qdescrs`/`oids` value at `i`: one, or a parenthesised list (`$`-separated for oids). */
function list(t: readonly string[], i: number): { values: string[]; next: number } {
  const unquote = (w: string) => (w.startsWith("'") ? w.slice(1) : w)
  if (t[i] !== '(') return { values: t[i] === undefined ? [] : [unquote(t[i])], next: i + 1 }
  const values: string[] = []
  let j = i + 1
  for (; j < t.length && t[j] !== ')'; j++) if (t[j] !== '$') values.push(unquote(t[j]!))
  return { values, next: j + 1 }
}

/** One AttributeTypeDescription; undefined when it is not one. */
export function parseAttributeType(text: string): RawType | undefined {
  const t = tokens(text)
  if (t[0] !== '(' || t[1] === undefined) return undefined
  const type = {
    oid: t[1],
    names: [] as string[],
    syntax: undefined as string | undefined,
    equality: undefined as string | undefined,
    sup: undefined as string | undefined,
    singleValue: false,
  }
  for (let i = 2; i < t.length;) {
    const word = t[i]!.toUpperCase()
    if (word === 'SINGLE-VALUE') type.singleValue = true
    if (['NAME', 'SYNTAX', 'SUP', 'EQUALITY'].includes(word)) {
      const { values, next } = list(t, i + 1)
      if (word === 'NAME') type.names = values
      else if (word === 'EQUALITY') type.equality = values[0]
      // A syntax may carry a length bound: 1.3.6.1.4.1.1466.115.121.1.15{256}.
      else if (word === 'SYNTAX') type.syntax = values[0]?.replace(/\{\d*\}$/, '')
      else type.sup = values[0]
      i = next
      continue
    }
    i++
  }
  return type
}

/** The attribute types by lower-cased name and OID, syntaxes resolved through SUP. */
export function attributeTypesOf(descriptions: readonly string[]): ReadonlyMap<string, AttributeType> {
  const raw = new Map<string, RawType>()
  for (const text of descriptions) {
    const type = parseAttributeType(text)
    if (type === undefined) continue
    for (const key of [type.oid, ...type.names]) raw.set(key.toLowerCase(), type)
  }
  const inherited = (type: RawType, field: 'syntax' | 'equality', depth = 0): string => {
    if (type[field] !== undefined || type.sup === undefined || depth > 20) return type[field] ?? ''
    const sup = raw.get(type.sup.toLowerCase())
    return sup === undefined ? '' : inherited(sup, field, depth + 1)
  }
  const resolved = new Map<string, AttributeType>()
  for (const [key, type] of raw) {
    resolved.set(key, {
      oid: type.oid,
      names: type.names,
      syntax: inherited(type, 'syntax'),
      singleValue: type.singleValue,
      equality: inherited(type, 'equality'),
    })
  }
  return resolved
}

/** Reads the subschema the root DSE names (`cn=Subschema`, AD's `CN=Aggregate,CN=Schema,…`). */
export async function readAttributeTypes(client: Client): Promise<ReadonlyMap<string, AttributeType>> {
  const root = await readRootDse(client, ['subschemaSubentry'])
  const dn = root['subschemaSubentry']?.[0] ?? 'cn=Subschema'
  const { searchEntries } = await client.search(dn, {
    scope: 'base',
    filter: '(objectClass=subschema)',
    attributes: ['attributeTypes'],
  })
  const entry = searchEntries[0]
  return attributeTypesOf(entry === undefined ? [] : valuesOf(entry, 'attributeTypes').map(String))
}
