import { InvalidArgumentError } from 'commander'

/** Parses a whole number ≥ 0 for options like --limit, with a message commander prints as is. */
export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got '${value}'.`)
  return Number(value)
}
