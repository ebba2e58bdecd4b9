/**
 * The address checks of the notification kinds: a mail address as a MailServer's `from` and an
 * EmailAction's recipients write it, and whether a host is this machine (where plain SMTP and plain
 * http are harmless).
 */
import path from 'node:path'

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/
const NAMED = /^[^<>]*<([^<>]+)>$/

/** `a@example.org` or `Name <a@example.org>`: one address, the way a mail header writes it. */
export function isMailAddress(text: string): boolean {
  const named = NAMED.exec(text.trim())
  return ADDRESS.test(named === null ? text.trim() : named[1]!.trim())
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost'])

/** Whether `host` is this machine by name or loopback address: traffic to it never crosses a network. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase())
}

/** Whether a relative path stays inside the project folder (not absolute, no `..` above it). */
export function staysInsideProject(relative: string): boolean {
  const normalized = path.posix.normalize(relative.replaceAll('\\', '/'))
  return !(path.posix.isAbsolute(normalized) || path.win32.isAbsolute(relative) || normalized.split('/')[0] === '..')
}
