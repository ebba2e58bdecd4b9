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
export type { RoutePlugin } from './route-plugin.ts'
export { buildServer, type BuildServerOptions } from './server.ts'
export { ALL_ROUTES } from './all-routes.ts'
export { CORE_ROUTES } from './routes/core-routes.ts'
export { httpStatusOf } from './error-status.ts'
export { openApiDocument } from './openapi.ts'
export { SESSION_COOKIE, CSRF_HEADER } from './auth/authenticate.ts'
export { hashPassword, verifyPassword, generatePassword, MIN_PASSWORD_LENGTH } from './auth/passwords.ts'
export { addUser, removeUser, setRole, setDisabled, setPassword, addApiToken, revokeApiToken } from './auth/accounts.ts'
export { PROVISIO_VERSION } from './version.ts'
export { projectLoader } from './project-loader.ts'
export { runRegistryOf, type RunRegistry } from './run-registry.ts'
export { serveTls, tlsFolder, type TlsMaterial, type ServeTlsOptions } from './tls.ts'
export { defaultStudioDir, studioBuilt } from './studio.ts'
