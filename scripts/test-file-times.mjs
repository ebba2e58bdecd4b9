/**
 * A node:test reporter that sums each test file's top-level tests and suites and writes the files
 * slowest first: where `npm test`'s minutes go (scripts/test.sh prints the head of it at the end,
 * and orders the next run's files by it).
 */
export default async function* fileTimes(source) {
  const perFile = new Map()
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0) {
      const file = event.data.file ?? '(unknown file)'
      perFile.set(file, (perFile.get(file) ?? 0) + (event.data.details?.duration_ms ?? 0))
    }
  }
  for (const [file, ms] of [...perFile].sort((a, b) => b[1] - a[1]))
    yield `${(ms / 1000).toFixed(1).padStart(7)} s  ${file}\n`
}
