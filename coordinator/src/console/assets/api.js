// @ts-check
/** The coordinator's REST API with the operator's bearer token (kept in session storage only). */

const TOKEN_KEY = 'huddle.console.token';

export class AuthError extends Error {}

export const session = {
  /** @type {string | null} */
  token: sessionStorage.getItem(TOKEN_KEY),
  /** @type {'admin' | 'analyst' | null} */
  role: null,
  /** @param {string | null} token */
  set(token) {
    this.token = token;
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

/**
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [options]
 * @returns {Promise<any>}
 */
export async function api(path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = { Authorization: `Bearer ${session.token}` };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method: options.method ?? 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), cache: 'no-store' });
  if (res.status === 401) throw new AuthError('The token was refused (unknown or revoked).');
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (res.status === 403) throw new ApiError(403, data?.error ?? 'This token lacks the role for this.');
  if (!res.ok) throw new ApiError(res.status, data?.error ?? `${path} answered ${res.status}`);
  return data;
}

export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}
