// Live status: the user's job changes over Server-Sent Events. A browser's EventSource cannot send the bearer
// token, so each connection first takes a single-use ticket (POST /api/user/stream-ticket) and passes it as
// ?ticket=. A ticket works once, so the EventSource's own reconnect cannot be used: on any error the connection
// is closed and opened again with a new ticket after a growing, jittered delay, resuming after the last event
// received (?lastEventId=), so nothing is missed and nothing is repeated.

const CHANGES = ['created', 'started', 'progress', 'completed', 'failed', 'canceled', 'requeued'];
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

export class LiveStatus {
  /**
   * @param api       the Api (for tickets)
   * @param handlers  { onChange(change, eventId), onState('connecting' | 'open' | 'reconnecting', detail) }
   * @param lastEventId where to resume from (null: everything the server still keeps)
   */
  constructor(api, handlers, lastEventId) {
    this.api = api;
    this.handlers = handlers;
    this.lastEventId = lastEventId;
    this.source = null;
    this.timer = null;
    this.failures = 0;
    this.stopped = true;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.source) this.source.close();
    this.source = null;
  }

  async connect() {
    if (this.stopped) return;
    this.handlers.onState(this.failures ? 'reconnecting' : 'connecting');
    let ticket;
    try {
      ticket = (await this.api.streamTicket()).ticket;
    } catch (error) {
      if (error.status === 401) return; // signed out; the page handles it
      this.retryLater();
      return;
    }
    if (this.stopped) return;
    const url = new URL('/api/user/generation-events', location.origin);
    url.searchParams.set('ticket', ticket);
    if (this.lastEventId != null) url.searchParams.set('lastEventId', this.lastEventId);
    const source = new EventSource(url);
    this.source = source;
    source.onopen = () => {
      this.failures = 0;
      this.handlers.onState('open');
    };
    source.onerror = () => {
      if (this.source !== source) return;
      source.close();
      this.source = null;
      this.retryLater();
    };
    for (const name of CHANGES) {
      source.addEventListener(name, event => {
        if (this.source !== source) return;
        let change;
        try {
          change = JSON.parse(event.data);
        } catch {
          return;
        }
        if (event.lastEventId) this.lastEventId = event.lastEventId;
        this.handlers.onChange({ ...change, change: change.change || name }, this.lastEventId);
      });
    }
  }

  retryLater() {
    if (this.stopped) return;
    this.failures += 1;
    const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (this.failures - 1));
    const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    this.handlers.onState('reconnecting', delay);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
