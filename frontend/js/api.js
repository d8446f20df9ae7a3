// The only module that talks HTTP. Every state-changing call carries the
// CSRF header the API requires; errors come back as ApiError with the
// envelope's status, code, message and fields.

export class ApiError extends Error {
  constructor(status, code, message, fields, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields ?? {};
    this.retryAfter = retryAfter; // seconds, from a 429's Retry-After
  }
}

// Thrown when the request never got an answer (offline, server down).
export class NetworkError extends Error {}

export async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (method !== 'GET') init.headers['X-Requested-With'] = 'rebound';
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new NetworkError('No connection');
  }
  if (res.status === 204) return null;
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = data?.error ?? {};
    if (res.status >= 502 && !e.code) throw new NetworkError('Server unreachable');
    const wait = Number(res.headers.get('Retry-After'));
    throw new ApiError(res.status, e.code ?? 'error', e.message ?? 'Something went wrong.', e.fields,
      Number.isFinite(wait) && wait > 0 ? wait : null);
  }
  return data;
}
