import type { ApiServerBinaries } from '../tools/api-server-resolve.js';
import { LocalApiServer } from './local-api-server.js';

/**
 * Fresh local API servers, one per environment checked (cluster-scoped objects of two
 * environments would collide in one). One is started ahead (`prestart`), so its start-up overlaps
 * the render; every server handed out is stopped by `close()`.
 */
export class ApiServerPool {
  private ahead: Promise<LocalApiServer> | undefined;
  private readonly started: Promise<LocalApiServer>[] = [];

  constructor(private readonly binaries: () => Promise<ApiServerBinaries>) {}

  /** Starts a server now, in the background, for the next `acquire`. */
  prestart(): void {
    this.ahead ??= this.start();
    // A start that fails is reported by the acquire that takes it, not as an unhandled rejection.
    this.ahead.catch(() => undefined);
  }

  /** A server nobody used before. */
  acquire(): Promise<LocalApiServer> {
    const server = this.ahead ?? this.start();
    this.ahead = undefined;
    return server;
  }

  /** Stops every server started, whatever state it is in. */
  async close(): Promise<void> {
    const servers = await Promise.allSettled(this.started);
    await Promise.all(servers.map((server) => (server.status === 'fulfilled' ? server.value.stop() : undefined)));
  }

  private start(): Promise<LocalApiServer> {
    const server = this.binaries().then((binaries) => LocalApiServer.start(binaries));
    this.started.push(server);
    return server;
  }
}
