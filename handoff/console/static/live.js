// The console's websocket (WS /console/ws, same origin): server → page events that tell the page
// what to fetch again. It carries no member data; the page reads that through the API.
//
// When the socket drops the page reconnects with exponential backoff and jitter (1 s doubling
// up to 30 s). Before each new attempt it asks `beforeReconnect()` (the app checks the session:
// a refused handshake reaches the browser as a bare close, so a 401 from GET /session is how an
// expired session shows). After a reconnection the app fetches everything again, since events
// sent while the socket was down are lost.

const PATH = "/console/ws";
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;
// A connection that lasted this long counts as healthy: the next drop starts the backoff again.
const STABLE_AFTER_MS = 10000;

export function createLive({ onEvent, onConnected, onStatus, beforeReconnect }) {
  let socket = null;
  let timer = null;
  let attempts = 0;
  let openedAt = 0;
  let running = false;

  function url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}${PATH}`;
  }

  function connect() {
    if (!running) return;
    onStatus("connecting");
    try {
      socket = new WebSocket(url());
    } catch {
      scheduleReconnect();
      return;
    }
    const current = socket;
    current.addEventListener("open", () => {
      if (current !== socket) return;
      openedAt = Date.now();
      onStatus("live");
      onConnected();
    });
    current.addEventListener("message", (message) => {
      if (current !== socket) return;
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return; // not JSON: ignored rather than trusted
      }
      if (data && typeof data === "object" && typeof data.event === "string") onEvent(data);
    });
    current.addEventListener("close", () => {
      if (current !== socket) return;
      socket = null;
      if (!running) return;
      if (openedAt && Date.now() - openedAt >= STABLE_AFTER_MS) attempts = 0;
      openedAt = 0;
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempts);
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    attempts += 1;
    onStatus("reconnecting", delay);
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!running) return;
      try {
        if (beforeReconnect && (await beforeReconnect()) === false) return;
      } catch {
        // The check failing (network down) is no reason not to try the socket.
      }
      connect();
    }, delay);
  }

  return {
    start() {
      if (running) return;
      running = true;
      attempts = 0;
      connect();
    },
    stop() {
      running = false;
      clearTimeout(timer);
      const closing = socket;
      socket = null;
      if (closing) closing.close(1000);
      onStatus("off");
    },
    /** Reconnect at once (the agent pressed "reconnect now"). */
    retryNow() {
      if (!running || socket) return;
      clearTimeout(timer);
      connect();
    },
  };
}
