/**
 * The check the CLI and the API make before evaluating a mapping or a job by name: an unknown name
 * is a coded error with a did-you-mean and the names there are.
 */
import { closestMatch } from '../core/index.ts'
import { engineError } from '../engine/index.ts'
import { jobError } from './errors.ts'

/** Throws ENG_UNKNOWN_MAPPING or JOB_UNKNOWN_JOB, with a did-you-mean, when `name` is not among `names`. */
export function requireName(kind: 'mapping' | 'job', names: readonly string[], name: string): void {
  if (names.includes(name)) return
  const suggestion = closestMatch(name, names)
  const hint = `${suggestion === undefined ? '' : `Did you mean '${suggestion}'? `}${kind === 'job' ? 'Jobs' : 'Mappings'}: ${names.join(', ') || '(none)'}.`
  const message = `The project has no ${kind} '${name}'.`
  throw kind === 'job'
    ? jobError('JOB_UNKNOWN_JOB', message, { hint })
    : engineError('ENG_UNKNOWN_MAPPING', message, { hint })
}
