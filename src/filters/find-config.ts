/**
 * Looking up a project's filter or link by name, as the CLI and the API both do: case-insensitive,
 * and an unknown name is a coded error whose hint suggests the closest name and lists them all.
 */
import type { FilterConfig, LinkConfig } from '../config/index.ts'
import { closestMatch } from '../core/index.ts'
import { filterError } from './errors.ts'

function didYouMean(name: string, names: readonly string[]): string {
  const suggestion = closestMatch(name, names)
  return suggestion === undefined ? '' : `Did you mean '${suggestion}'? `
}

/** The filter called `name` (any case), or FLT_UNKNOWN_FILTER. */
export function findFilter(project: { readonly filters: readonly FilterConfig[] }, name: string): FilterConfig {
  const filter = project.filters.find((f) => f.name.toLowerCase() === name.toLowerCase())
  if (filter !== undefined) return filter
  const names = project.filters.map((f) => f.name)
  throw filterError('FLT_UNKNOWN_FILTER', `The project has no filter '${name}'.`, {
    hint: `${didYouMean(name, names)}Filters: ${names.join(', ') || '(none)'}.`,
  })
}

/** The link called `name` (any case), or FLT_UNKNOWN_LINK. */
export function findLink(project: { readonly links: readonly LinkConfig[] }, name: string): LinkConfig {
  const link = project.links.find((l) => l.name.toLowerCase() === name.toLowerCase())
  if (link !== undefined) return link
  const names = project.links.map((l) => l.name)
  throw filterError('FLT_UNKNOWN_LINK', `The project has no link '${name}'.`, {
    hint: `${didYouMean(name, names)}Links: ${names.join(', ') || '(none)'}.`,
  })
}
