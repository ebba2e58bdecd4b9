/**
 * The Studio (web/, built by `npm run build:studio` into web/dist) served by the API's server: the
 * hashed assets cached for a year, index.html never cached, and index.html for every other GET
 * outside /api so that the Studio's own addresses (`/runs/42`) load on reload. Without a build the
 * server serves the API alone and says how to build it.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** Where `npm run build:studio` writes the Studio, beside this package's source. */
export function defaultStudioDir(): string {
  return fileURLToPath(new URL('../../web/dist', import.meta.url))
}

/** Whether `dir` holds a built Studio. */
export function studioBuilt(dir: string): boolean {
  return existsSync(path.join(dir, 'index.html'))
}

export async function registerStudio(app: FastifyInstance, dir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: false,
    wildcard: false,
    setHeaders: (reply, file) => {
      const immutable = file.includes(`${path.sep}assets${path.sep}`)
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    },
  })
}

/** The answer for a path no route has: the Studio's page for a browser's GET, otherwise undefined. */
export function studioFallback(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const pathname = request.url.split('?')[0] ?? ''
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined
  if (pathname === '/api' || pathname.startsWith('/api/')) return undefined
  // A missing asset is a 404, not a page: a stale tab asking for an old chunk must not get HTML.
  if (pathname.startsWith('/assets/')) return undefined
  return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html')
}
