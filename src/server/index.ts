/**
 * server: the HTTPS API over everything the CLI can do (DESIGN.md §10, docs/server.md), served by
 * `provisio serve` beside the scheduler. Routes are defined with defineRoute (access, zod schemas,
 * OpenAPI); users, sessions and API tokens live in the vault.
 */
export { serverError, type ServerErrorCode } from './errors.ts'
export {
  defineRoute,
  allows,
  ROLE_ACCESS,
  USER_ROLES,
  type Access,
  type HttpMethod,
  type RouteInput,
  type RouteSpec,
  type ServerUser,
  type UserRole,
} from './route.ts'
export type { ServerContext } from './context.ts'
