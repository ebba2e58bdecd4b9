/**
 * The route plugins of the API's areas, registered by `provisio serve` after the core routes
 * (routes/core-routes.ts). The list lives in routes/index.ts, where each area adds its line;
 * test/server/authorization.test.ts checks every route of every plugin listed, for every role.
 */
import { API_ROUTES } from './routes/index.ts'
import type { RoutePlugin } from './route-plugin.ts'

export const ALL_ROUTES: readonly RoutePlugin[] = API_ROUTES
