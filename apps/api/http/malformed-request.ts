import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

type ParseError = Error & { code?: string; reason?: string; rawPacket?: Buffer };

/** What Node itself answers for these (a 400 for any other parse error), here in the API's error shape. */
const ANSWERS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'REQUEST.HEADERS_TOO_LARGE'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large', 'REQUEST.TOO_LARGE'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'REQUEST.TIMEOUT'],
};

/** Where in the request's head a NUL byte sits: `header.<name>`, or `path` for the request line. */
function nulByteIn(head: Buffer | undefined): string | undefined {
  const lines = head?.toString('latin1').split('\r\n\r\n')[0].split('\r\n') ?? [];
  const index = lines.findIndex((line) => line.includes('\u0000'));
  if (index < 0) return undefined;
  if (index === 0) return 'path';
  return `header.${lines[index].split(':')[0].split('\u0000').join('\\0').trim().toLowerCase()}`;
}

function answer(socket: Duplex, status: number, text: string, body: object): void {
  const json = JSON.stringify(body);
  // As Node does with its own answer: the parser has given up on this connection, so it ends once the answer is out.
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`, () => socket.destroy());
}

/**
 * A request Node's parser refuses never reaches the app, so it would get Node's bare `400 Bad Request`: answered here
 * in the API's shape instead, a NUL byte in a header (the parser refuses those; `Idempotency-Key` is read into the
 * database) named as `header.<name>` like one in a query or a body.
 */
export function answerMalformedRequests(server: Server): void {
  server.on('clientError', (error: ParseError, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const field = nulByteIn(error.rawPacket);
    if (field) {
      const message = `${field} holds a NUL byte (\\0), which no text here may contain`;
      answer(socket, 400, 'Bad Request', { code: 'REQUEST.NUL_BYTE', message, details: [{ field, code: 'REQUEST.NUL_BYTE', message: 'contains a NUL byte' }] });
      return;
    }
    const [status, text, code] = ANSWERS[error.code ?? ''] ?? [400, 'Bad Request', 'REQUEST.MALFORMED_HTTP'];
    answer(socket, status, text, { code, message: `the request cannot be read as HTTP: ${error.reason ?? error.message}`, details: [] });
  });
}
