/**
 * `provisio validate` for filters: every join path resolved, every expression type-checked, the
 * output columns checked, without a database. Issues are positioned in the filter's YAML.
 */
import type { Issue } from '../core/index.ts'
import type { FilterConfig } from '../config/index.ts'
import { buildPlan } from './build-plan.ts'
import type { FilterContext } from './join-paths.ts'

/**
 * The problems of a filter, all at once. A join over a link with problems is reported once at the
 * join; the link's own problems come from checkLink() for the Link document.
 *
 * @example
 * const issues = project.filters.flatMap((f) => checkFilter(f, { systems: project.systems, links: project.links }))
 */
export function checkFilter(filter: FilterConfig, context: FilterContext): Issue[] {
  return buildPlan(filter, context).issues
}
