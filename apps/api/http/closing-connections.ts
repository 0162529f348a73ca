import type { Server, ServerResponse } from 'node:http';

/**
 * The keep-alive timeout is long (65 s, see createApiApp), and Node's `server.close()` ends only the connections idle
 * at that moment: one busy then would hold a stopping API (SIGTERM, a deploy) open for the whole timeout. Once the
 * server stops listening, a response not yet begun says `Connection: close`, and one already under way has its
 * connection ended as soon as it is out.
 */
export function endConnectionsWhenClosing(server: Server): void {
  server.on('request', (_request, response: ServerResponse) => {
    const writeHead = response.writeHead;
    response.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
      if (!server.listening && !this.headersSent) this.setHeader('Connection', 'close');
      return writeHead.apply(this, args);
    } as ServerResponse['writeHead'];
    response.on('finish', () => {
      if (!server.listening) setImmediate(() => server.closeIdleConnections());
    });
  });
}
