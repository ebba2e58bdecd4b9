import type { FastifyInstance } from 'fastify'
import type { ServerContext } from './context.ts'

/** A group of routes of one area, registered with defineRoute on the app it is given. */
export type RoutePlugin = (app: FastifyInstance, ctx: ServerContext) => void
