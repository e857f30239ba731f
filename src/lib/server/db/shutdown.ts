// Closing the database on shutdown releases the PGlite folder's lock and lets the process
// exit: adapter-node never exits on SIGTERM while a DB client is open (docs/stack-notes.md pitfall 6).

/** Calls `close` once when the server shuts down (adapter-node's event, SIGTERM or SIGINT). */
export function closeOnShutdown(close: () => Promise<void>): void {
  let done: Promise<void> | null = null;
  const closeOnce = () =>
    (done ??= close().catch((error: unknown) => {
      console.error('Closing the database failed:', error);
    }));
  // adapter-node drains requests on SIGTERM/SIGINT, then emits this event.
  process.once('sveltekit:shutdown', () => void closeOnce());
  const onSignal = (signal: NodeJS.Signals) => {
    // When adapter-node listens too, it shuts down gracefully and then emits
    // 'sveltekit:shutdown': closing now would fail requests still in flight.
    if (process.listenerCount(signal) > 1) return;
    // A handled signal after a clean close is a normal exit.
    void closeOnce().finally(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
