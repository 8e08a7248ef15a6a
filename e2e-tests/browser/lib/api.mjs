// The API as a second witness: what the browser shows is checked against what the server holds. Signs the same
// user in with the password grant of lacquer-app (the dev issuer's test client), not through the page.
import { env } from './env.mjs';
import { waitUntil } from './wait.mjs';

export class ApiClient {
  constructor(user, token) {
    this.user = user;
    this.token = token;
  }

  static async signIn(user) {
    const response = await fetch(env.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: 'lacquer-app', username: user, password: env.devPassword }),
    });
    if (!response.ok) throw new Error(`token for ${user}: HTTP ${response.status} ${await response.text()}`);
    return new ApiClient(user, (await response.json()).access_token);
  }

  async get(path) {
    const response = await fetch(env.apiUrl + path, { headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' } });
    const body = await response.text();
    if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${body}`);
    return JSON.parse(body);
  }

  credits() {
    return this.get('/api/user/credits');
  }

  job(jobId) {
    return this.get(`/api/generation-job/${jobId}`);
  }

  async jobs() {
    return (await this.get('/api/user/generation-jobs?size=100')).items;
  }

  async looks() {
    return (await this.get('/api/looks?size=100')).items;
  }

  pending() {
    return this.get('/api/user/pending-generations');
  }

  /** Waits until every job has this status: the work goes on without any page open. */
  async waitForStatus(jobIds, status, timeout = 90_000) {
    await waitUntil(async () => {
      const jobs = await Promise.all(jobIds.map(id => this.job(id)));
      return jobs.every(job => job.status === status) ? jobs : null;
    }, { timeout, interval: 250, message: `jobs ${jobIds.join(', ')} ${status} (API)` });
  }
}
