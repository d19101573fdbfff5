/**
 * Synchronous clean-ups for when this process goes away: it exits, or a signal ends it (a cancelled
 * job sends SIGINT or SIGTERM). They kill servers this process started and remove their data; the
 * normal paths (`stop()`) do the same gracefully, so these only matter when those never ran.
 */
const cleanups = new Set<() => void>();

/** Registers `cleanup`; call the returned function once the resource is gone by the normal path. */
export function onProcessEnd(cleanup: () => void): () => void {
  installHandlers();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // A last resort must not stop the next one.
    }
  }
  cleanups.clear();
}

let installed = false;
function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, function endOnSignal() {
      runAll();
      process.off(signal, endOnSignal);
      // Ending as the signal meant, unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}
