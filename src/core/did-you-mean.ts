import { distance } from 'fastest-levenshtein'

/**
 * The known name closest to `input`, for "did you mean" hints. Case is ignored; a candidate must be
 * within a third of the input's length (at least 2 edits) so unrelated names are not suggested.
 */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase()
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(needle.length / 3)) + 1
  for (const candidate of candidates) {
    const d = distance(needle, candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

/** `" Did you mean 'x'?"` or an empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closestMatch(input, candidates)
  return match === undefined ? '' : `Did you mean '${match}'?`
}
