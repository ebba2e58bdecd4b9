/**
 * Looking up a project's system by name, as the CLI and the API both do: case-insensitive, and an
 * unknown name is CON_UNKNOWN_SYSTEM whose hint suggests the closest name and lists them all.
 */
import type { SystemConfig } from '../config/index.ts'
import { closestMatch } from '../core/index.ts'
import { connectorError } from './errors.ts'

/** The system called `name` (any case), or CON_UNKNOWN_SYSTEM. */
export function findSystem(project: { readonly systems: readonly SystemConfig[] }, name: string): SystemConfig {
  const system = project.systems.find((s) => s.name.toLowerCase() === name.toLowerCase())
  if (system !== undefined) return system
  const names = project.systems.map((s) => s.name)
  const suggestion = closestMatch(name, names)
  throw connectorError('CON_UNKNOWN_SYSTEM', `The project has no system '${name}'.`, {
    hint: `${suggestion === undefined ? '' : `Did you mean '${suggestion}'? `}Its systems: ${names.join(', ')}.`,
  })
}
