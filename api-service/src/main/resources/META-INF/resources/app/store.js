// What the client keeps in the browser. Per user (the token's subject), in localStorage so it outlives the page:
// the design tabs with their job ids, the jobs already announced, the last live event received.
// The access token itself lives in memory and sessionStorage only (see auth.js).

const PREFIX = 'lacquer.';
const MAX_ANNOUNCED = 500;

function read(key, fallback) {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the page still works, it only forgets more on reload.
  }
}

export class UserStore {
  constructor(userId) {
    this.userId = userId;
  }

  key(name) {
    return `${name}.${this.userId}`;
  }

  loadTabs() {
    return read(this.key('tabs'), null);
  }

  saveTabs(state) {
    write(this.key('tabs'), state);
  }

  /** Job ids already announced to this user in this browser: never announced twice. */
  announced() {
    return new Set(read(this.key('announced'), []));
  }

  markAnnounced(jobIds) {
    const ids = [...this.announced(), ...jobIds];
    write(this.key('announced'), [...new Set(ids)].slice(-MAX_ANNOUNCED));
  }

  lastEventId() {
    return read(this.key('lastEventId'), null);
  }

  saveLastEventId(id) {
    write(this.key('lastEventId'), id);
  }
}
