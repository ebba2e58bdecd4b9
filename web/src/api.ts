/**
 * The Studio's one way to call the API: JSON in and out, the session cookie sent by the browser,
 * the CSRF token added to every changing request, and errors turned into ApiError with the code,
 * message and hint the server answered (docs/server.md "Errors"), so every page can show them as
 * they are.
 */

/** An error the API answered (or a network failure, code `NETWORK`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string | null = null,
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

let csrfToken: string | null = null
let onUnauthenticated: () => void = () => {}

/** Set by the session after login (and after reload, from GET /api/session). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

/** Called when a request answers 401: the session ended (expired, logged out elsewhere). */
export function onSessionLost(callback: () => void): void {
  onUnauthenticated = callback
}

type Query = Record<string, string | number | boolean | undefined | null>

/** `/api/runs` + `{ limit: 20, status: undefined }` → `/api/runs?limit=20`. */
export function withQuery(url: string, query: Query | undefined): string {
  if (query === undefined) return url
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const text = params.toString()
  return text === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${text}`
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken
  let response: Response
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : JSON.stringify(body),
    })
  } catch (error) {
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached.', 'Is `provisio serve` still running?', {
      reason: error instanceof Error ? error.message : String(error),
    })
  }
  const text = await response.text()
  let json: unknown = undefined
  if (text !== '') {
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
  }
  if (!response.ok) {
    const error = (json as { error?: Partial<ApiError> } | undefined)?.error
    if (response.status === 401 && !url.endsWith('/api/session')) onUnauthenticated()
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? `${method} ${url} answered ${response.status}.`,
      error?.hint ?? null,
      error?.details ?? null,
    )
  }
  return json as T
}

export const api = {
  get: <T>(url: string, query?: Query) => request<T>('GET', withQuery(url, query)),
  post: <T>(url: string, body?: unknown) => request<T>('POST', url, body ?? {}),
  put: <T>(url: string, body?: unknown) => request<T>('PUT', url, body ?? {}),
  patch: <T>(url: string, body?: unknown) => request<T>('PATCH', url, body ?? {}),
  delete: <T>(url: string, body?: unknown) => request<T>('DELETE', url, body),
}

/** A path segment: names may hold spaces, slashes or `%`. */
export const seg = (value: string | number): string => encodeURIComponent(String(value))
