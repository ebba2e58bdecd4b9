/**
 * Every area's API routes, registered by the server in this order. Each area adds its one line.
 */
import type { RoutePlugin } from '../route-plugin.ts'
import { registerAuditRoutes } from './audit.ts'
import { registerConfigFileRoutes } from './config-files.ts'
import { registerConfigRoutes } from './config.ts'
import { registerEventRoutes } from './events.ts'
import { registerFilterPreviewRoutes } from './filter-preview.ts'
import { registerFilterRoutes } from './filters.ts'
import { registerGeneratorRoutes } from './generators.ts'
import { registerJobRoutes } from './jobs.ts'
import { registerLinkRoutes } from './links.ts'
import { registerMappingRoutes } from './mappings.ts'
import { registerPlanRoutes } from './plans.ts'
import { registerRoleRoutes } from './roles.ts'
import { registerRunRoutes } from './runs.ts'
import { registerSecretRoutes } from './secrets.ts'
import { registerSystemRoutes } from './systems.ts'
import { registerTaskRoutes } from './tasks.ts'
import { registerVaultRoutes } from './vault.ts'

export const API_ROUTES: RoutePlugin[] = [
  registerConfigRoutes,
  registerConfigFileRoutes,
  registerSystemRoutes,
  registerVaultRoutes,
  registerLinkRoutes,
  registerFilterRoutes,
  registerFilterPreviewRoutes,
  registerGeneratorRoutes,
  registerMappingRoutes,
  registerJobRoutes,
  registerPlanRoutes,
  registerRoleRoutes,
  registerTaskRoutes,
  registerRunRoutes,
  registerAuditRoutes,
  registerSecretRoutes,
  registerEventRoutes,
]
