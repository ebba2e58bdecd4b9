/** Hashing. */
import { HASH_ALGORITHMS, type HashAlgorithm, hash } from '../runtime/hash.ts'
import { type Fragment, sql } from '../sql/fragment.ts'
import { sqliteCall } from '../sql/sqlite-functions.ts'
import { type FunctionDefinition, p, type SqlArg } from './definition.ts'
import { at, str } from './helpers.ts'

function algorithm(args: readonly SqlArg[]): HashAlgorithm {
  const value = args[1]?.constant
  return typeof value === 'string' ? (value as HashAlgorithm) : 'sha256'
}

/**
 * PostgreSQL ≥ 11 has sha256()/sha512() on bytea (no pgcrypto); convert_to() gives the UTF-8 bytes.
 * https://www.postgresql.org/docs/current/functions-binarystring.html
 */
function postgresHash(args: readonly SqlArg[]): Fragment {
  const bytes = sql`convert_to(${at(args, 0)}, 'UTF8')`
  const alg = algorithm(args)
  return alg === 'md5'
    ? sql`md5(${bytes})`
    : alg === 'sha512'
      ? sql`encode(sha512(${bytes}), 'hex')`
      : sql`encode(sha256(${bytes}), 'hex')`
}

export const HASH_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'hash',
    family: 'hash',
    signatures: [
      {
        params: [
          p('text', 'string'),
          p('algorithm', 'string', { optional: true, constant: true, oneOf: HASH_ALGORITHMS }),
        ],
        returns: 'string',
      },
    ],
    summary:
      "The lower-case hex digest of the text's UTF-8 bytes. `algorithm` is 'sha256' (the default), 'sha512' or 'md5'.",
    nulls: 'Null if the text is null.',
    notes: 'Do not use this to store passwords; it is meant for stable pseudonymous keys.',
    examples: [{ expr: "hash('abc')", result: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' }],
    js: ([s, alg]) => hash(str(s), typeof alg === 'string' ? (alg as HashAlgorithm) : 'sha256'),
    sql: {
      sqlite: (args) => sqliteCall(`provisio_${algorithm(args)}`, [at(args, 0)]),
      postgres: postgresHash,
    },
  },
]
