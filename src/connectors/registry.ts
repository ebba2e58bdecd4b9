/**
 * The built-in connectors, listed explicitly (STYLE.md C2: registration is explicit). Connector
 * implementations live in one folder each and see only core and the contract; this file and the
 * others at the root of src/connectors wire them to the rest of Provisio.
 */
import { closestMatch } from '../core/index.ts'
import type { ConnectorDefinition } from './contract.ts'
import { csvConnector } from './csv/index.ts'
import { ldapConnector } from './ldap/index.ts'
import { sqlConnector } from './sql/index.ts'
import { connectorError } from './errors.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own config types; callers validate with its schemas
export type AnyConnectorDefinition = ConnectorDefinition<any, any>

const BUILT_IN: readonly AnyConnectorDefinition[] = [csvConnector, ldapConnector, sqlConnector]

const byType = new Map<string, AnyConnectorDefinition>()
for (const definition of BUILT_IN) {
  if (byType.has(definition.type)) throw new Error(`Two connectors declare the type '${definition.type}'.`)
  byType.set(definition.type, definition)
}

export function connectorTypes(): string[] {
  return [...byType.keys()].sort()
}

export function findConnector(type: string): AnyConnectorDefinition | undefined {
  return byType.get(type)
}

export function requireConnector(type: string): AnyConnectorDefinition {
  const definition = byType.get(type)
  if (definition === undefined) {
    const suggestion = closestMatch(type, byType.keys())
    throw connectorError('CON_UNKNOWN_CONNECTOR', `There is no connector of type '${type}'.`, {
      hint: `${suggestion === undefined ? '' : `Did you mean '${suggestion}'? `}Connector types: ${connectorTypes().join(', ')}.`,
    })
  }
  return definition
}
