// Sign-in with the OIDC issuer: authorization code + PKCE (S256), public client, no secret.
// The issuer and client id come from GET /api/client-config; the endpoints from the issuer's discovery document.
// The access token is kept in memory and in sessionStorage (this browser tab only, gone when it closes).

const SESSION_KEY = 'lacquer.session';
const PENDING_KEY = 'lacquer.signin';
const EXPIRY_MARGIN_MS = 30_000;

function base64url(bytes) {
  let text = '';
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(byteCount = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

async function challengeOf(verifier) {
  return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
}

/** The claims of a JWT, read for display only (the API checks the signature). */
export function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(payload), c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  } catch {
    return {};
  }
}

export class SignInError extends Error {}

export class Auth {
  constructor() {
    this.session = null;
    this.config = null;
    this.discovery = null;
  }

  redirectUri() {
    return `${location.origin}/`;
  }

  async loadConfig() {
    let response;
    try {
      response = await fetch('/api/client-config', { headers: { Accept: 'application/json' } });
    } catch {
      throw new SignInError('Network error: the server cannot be reached. Check your connection and reload.');
    }
    if (!response.ok) throw new SignInError('The sign-in settings could not be loaded. Please reload the page.');
    this.config = await response.json();
    return this.config;
  }

  async loadDiscovery() {
    if (this.discovery) return this.discovery;
    const issuer = this.config.issuer.replace(/\/+$/, '');
    let response;
    try {
      response = await fetch(`${issuer}/.well-known/openid-configuration`, { headers: { Accept: 'application/json' } });
    } catch {
      throw new SignInError('The sign-in service cannot be reached. Check your connection and try again.');
    }
    if (!response.ok) throw new SignInError('The sign-in service is not available right now.');
    this.discovery = await response.json();
    return this.discovery;
  }

  /** The stored session of this browser tab, if its token is still valid. */
  restore() {
    try {
      const stored = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
      if (stored && stored.accessToken && stored.expiresAt > Date.now() + EXPIRY_MARGIN_MS) {
        this.session = stored;
      } else {
        sessionStorage.removeItem(SESSION_KEY);
      }
    } catch {
      this.session = null;
    }
    return this.session;
  }

  /** True when the URL is the issuer's redirect back to us (with a code or an error). */
  isRedirectBack() {
    const params = new URLSearchParams(location.search);
    return params.has('state') && (params.has('code') || params.has('error'));
  }

  async signIn() {
    const discovery = await this.loadDiscovery();
    const verifier = randomString(48);
    const state = randomString(16);
    sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
    const url = new URL(discovery.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.config.clientId,
      redirect_uri: this.redirectUri(),
      scope: this.config.scopes,
      state,
      code_challenge: await challengeOf(verifier),
      code_challenge_method: 'S256',
    }).toString();
    location.assign(url.toString());
  }

  /** Exchanges the code the issuer sent back for tokens; removes code and state from the address bar. */
  async completeSignIn() {
    const params = new URLSearchParams(location.search);
    history.replaceState(null, '', '/' + location.hash);
    let pending = null;
    try {
      pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null');
    } catch {
      pending = null;
    }
    sessionStorage.removeItem(PENDING_KEY);
    if (params.has('error')) {
      throw new SignInError(`Sign-in did not complete: ${params.get('error_description') || params.get('error')}.`);
    }
    if (!pending || pending.state !== params.get('state')) {
      throw new SignInError('Sign-in could not be verified (it was started in another tab or is too old). Please sign in again.');
    }
    const discovery = await this.loadDiscovery();
    // RFC 9207: an issuer that names itself in the answer must be ours (no mix-up with another issuer).
    if (params.has('iss') && params.get('iss') !== discovery.issuer) {
      throw new SignInError('Sign-in answered from an unexpected issuer. Please sign in again.');
    }
    let response;
    try {
      response = await fetch(discovery.token_endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: params.get('code'),
          redirect_uri: this.redirectUri(),
          client_id: this.config.clientId,
          code_verifier: pending.verifier,
        }),
      });
    } catch {
      throw new SignInError('The sign-in service cannot be reached. Check your connection and try again.');
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.access_token) {
      throw new SignInError(`Sign-in failed: ${body.error_description || body.error || response.status}.`);
    }
    const lifetime = Number(body.expires_in) > 0 ? Number(body.expires_in) * 1000 : 5 * 60_000;
    this.session = { accessToken: body.access_token, expiresAt: Date.now() + lifetime };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(this.session));
    return this.session;
  }

  signOut() {
    this.session = null;
    sessionStorage.removeItem(SESSION_KEY);
    sessionStorage.removeItem(PENDING_KEY);
  }

  token() {
    return this.session ? this.session.accessToken : null;
  }

  user() {
    const claims = this.session ? claimsOf(this.session.accessToken) : {};
    return { id: claims.sub || 'unknown', name: claims.preferred_username || claims.name || claims.sub || 'signed in' };
  }

  /** Milliseconds until the token expires (minus a margin). */
  remainingMs() {
    return this.session ? this.session.expiresAt - EXPIRY_MARGIN_MS - Date.now() : 0;
  }
}
