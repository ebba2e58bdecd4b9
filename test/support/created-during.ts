/**
 * The names created in a folder while some work runs, removed again or not: how tests prove that a
 * check wrote nothing, not even a temporary copy it cleaned up afterwards.
 */
import { watch, writeFileSync } from 'node:fs'
import path from 'node:path'

/**
 * The names created in the folder `dir` while `work` runs. Change events come in order, so once the
 * watcher sees a mark written after `work`, it has seen everything before it.
 */
export async function createdDuring(dir: string, work: () => Promise<void>): Promise<string[]> {
  const mark = 'provisio-test-mark'
  const seen: string[] = []
  let marked = () => {}
  const sawMark = new Promise<void>((resolve) => (marked = resolve))
  const watcher = watch(dir, (_event, name) => {
    if (name === mark) marked()
    else if (name !== null) seen.push(String(name))
  })
  try {
    await work()
    writeFileSync(path.join(dir, mark), '')
    await sawMark
  } finally {
    watcher.close()
  }
  return seen
}
