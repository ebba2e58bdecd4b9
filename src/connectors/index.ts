/**
 * connectors: the adapters to external systems, behind one contract (./contract.ts), and the glue
 * that collects a system into the vault.
 */
export type * from './contract.ts'
export { connectorError } from './errors.ts'
export { connectorTypes, findConnector, requireConnector, type AnyConnectorDefinition } from './registry.ts'
export { checkSystemConnectors, checkSystemTables } from './check-systems.ts'
export { openSystem, type OpenSystemOptions } from './open-system.ts'
export { findSystem } from './find-system.ts'
export {
  collectSystem,
  collectOpenedSystem,
  watermarkScope,
  type CollectSystemOptions,
  type OpenedSystem,
} from './collect-system.ts'
