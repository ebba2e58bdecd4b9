/** The routes every server has, whatever else is registered: login, users, tokens, health, OpenAPI. */
import type { RoutePlugin } from '../route-plugin.ts'
import { adminAuditRoutes } from './admin-audit-routes.ts'
import { healthRoutes } from './health-routes.ts'
import { openApiRoutes } from './openapi-routes.ts'
import { sessionRoutes } from './session-routes.ts'
import { tokensRoutes } from './tokens-routes.ts'
import { usersRoutes } from './users-routes.ts'

export const CORE_ROUTES: readonly RoutePlugin[] = [
  healthRoutes,
  sessionRoutes,
  usersRoutes,
  tokensRoutes,
  adminAuditRoutes,
  openApiRoutes,
]
