// The Lacquer API as the page uses it. Every failure becomes an ApiError whose message a person can read:
// the API answers application/problem+json (RFC 9457), network failures have status 0.

export class ApiError extends Error {
  constructor(status, message, problem = {}, retryAfter = null) {
    super(message);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

function messageOf(status, problem, retryAfter) {
  switch (status) {
    case 402:
      if (problem.needed != null && problem.available != null) {
        return `Not enough credits: this needs ${problem.needed}, you have ${problem.available} available.`;
      }
      return `Not enough credits: ${problem.detail || 'this generation costs more than you have available.'}`;
    case 429:
      return `Too many requests: ${problem.detail || 'please slow down.'}`
        + (retryAfter ? ` Try again in ${retryAfter} s.` : '');
    case 401:
      return 'Your session has expired. Please sign in again.';
    case 400:
      if (Array.isArray(problem.errors) && problem.errors.length) {
        return 'Please check: ' + problem.errors.map(e => `${e.field} ${e.message}`).join('; ') + '.';
      }
      return problem.detail || 'The request was not valid.';
    default:
      return problem.detail || problem.title || `The server answered ${status}.`;
  }
}

export class Api {
  /** @param auth the Auth holding the access token; @param onUnauthorized called when the API says 401 */
  constructor(auth, onUnauthorized) {
    this.auth = auth;
    this.onUnauthorized = onUnauthorized;
  }

  async request(method, path, { body, headers = {} } = {}) {
    const init = { method, headers: { Accept: 'application/json', ...headers } };
    const token = this.auth.token();
    if (token) init.headers.Authorization = `Bearer ${token}`;
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch {
      throw new ApiError(0, 'Network error: the server cannot be reached. Check your connection and try again.');
    }
    const text = await response.text();
    let data = {};
    try {
      data = text ? JSON.parse(text) : {};
    } catch {
      data = {};
    }
    if (!response.ok) {
      const retryAfter = response.headers.get('Retry-After');
      const error = new ApiError(response.status, messageOf(response.status, data, retryAfter), data, retryAfter);
      if (response.status === 401) this.onUnauthorized(error);
      throw error;
    }
    return data;
  }

  /** Visualize: multipart with the photo file; one Idempotency-Key per click so a retried request makes one job. */
  createJob({ photo, prompt, designSettings, imageCount }, idempotencyKey) {
    const form = new FormData();
    form.append('prompt', prompt);
    form.append('imageCount', String(imageCount));
    form.append('designSettings', JSON.stringify(designSettings));
    form.append('originalImage', photo, photo.name || 'hand');
    return this.request('POST', '/api/generate-nail-design-job', { body: form, headers: { 'Idempotency-Key': idempotencyKey } });
  }

  job(jobId) {
    return this.request('GET', `/api/generation-job/${encodeURIComponent(jobId)}`);
  }

  autoSave(jobId) {
    return this.request('POST', `/api/generation-job/${encodeURIComponent(jobId)}/auto-save`);
  }

  markSeen(jobId) {
    return this.request('POST', `/api/generation-job/${encodeURIComponent(jobId)}/seen`);
  }

  cancel(jobId) {
    return this.request('POST', `/api/generation-job/${encodeURIComponent(jobId)}/cancel`);
  }

  pendingGenerations() {
    return this.request('GET', '/api/user/pending-generations');
  }

  jobs(page = 0, size = 20) {
    return this.request('GET', `/api/user/generation-jobs?page=${page}&size=${size}`);
  }

  looks(page = 0, size = 24) {
    return this.request('GET', `/api/looks?page=${page}&size=${size}`);
  }

  credits() {
    return this.request('GET', '/api/user/credits');
  }

  streamTicket() {
    return this.request('POST', '/api/user/stream-ticket');
  }
}

export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
}
