// The explorer's HTTP server against requests no page sends: request targets that are not URLs,
// bad %-escapes, foreign Host and Origin headers (DNS rebinding, a cross-origin POST), one
// table-driven test each with the exact status; then a seeded, bounded fuzz of raw requests over
// loopback: every answer is a status the server means (never 500, never a dropped connection
// without one), and the server still answers afterwards. Raw sockets, so that any bytes reach it.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../../src/check/prng';
import { startExplorer, type Explorer } from '../../src/explore/server';
import { dieHard } from '../../specs/examples/die-hard';

interface Answer {
  /** The status code, or null when the connection closed without a status line. */
  readonly status: number | null;
  readonly body: string;
}

function dechunk(s: string): string {
  let out = '';
  for (let at = 0; ; ) {
    const eol = s.indexOf('\r\n', at);
    const n = parseInt(s.slice(at, eol), 16);
    if (!(n > 0)) return out;
    out += s.slice(eol + 2, eol + 2 + n);
    at = eol + 2 + n + 2;
  }
}

/** Sends `request` as raw bytes on a fresh connection and reads the answer until the server closes it. */
function raw(port: number, request: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3}) /.exec(text);
      const head = text.slice(0, text.indexOf('\r\n\r\n'));
      let body = text.slice(head.length + 4);
      if (/\r\ntransfer-encoding: chunked/i.test(head)) body = dechunk(body);
      resolve({ status: m ? Number(m[1]) : null, body });
    });
    socket.end(request);
  });
}

/** A request with the given target and headers, closing the connection after the answer. */
function request(method: string, target: string, headers: Record<string, string>, version = '1.1'): string {
  const lines = [`${method} ${target} HTTP/${version}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), 'Connection: close'];
  if (method === 'POST') lines.push('Content-Length: 0');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

describe('explorer server: requests a page never sends', () => {
  let ex: Explorer;
  let host: string;
  beforeAll(async () => {
    ex = await startExplorer({ definition: dieHard, port: 0, check: false });
    host = `127.0.0.1:${ex.port}`;
  });
  afterAll(async () => {
    await ex.close();
  });

  // [name, method, target, headers beyond Host (or Host itself), status, a fragment of the JSON error]
  const cases: [string, string, string, Record<string, string>, number, string][] = [
    ['a target that starts with // and a port out of range', 'GET', '//a:99999/', {}, 400, 'the request target is not a URL path'],
    ['an absolute URL with a broken IPv6 host', 'GET', 'http://[/', {}, 400, 'the request target is not a URL path'],
    ['an absolute URL with a %-escape in the host', 'GET', 'http://%zz/', {}, 400, 'the request target is not a URL path'],
    ['a lone % in a state path', 'GET', '/.states/%', {}, 400, "'%' is not a valid URL path (a bad %-escape)"],
    ['a bad %-escape in an svg path', 'GET', '/.svg/0/%E0%A4%A', {}, 400, 'is not a valid URL path (a bad %-escape)'],
    ['a path that is not an action path', 'GET', '/.states/0/x', {}, 400, "'0/x' is not an action path"],
    ['an action that does not exist', 'GET', '/.states/0/99', {}, 400, 'step 1: action 99 does not exist'],
    ['a foreign Host (DNS rebinding)', 'GET', '/.status', { Host: 'evil.example:80' }, 403, "this server does not answer for the host 'evil.example:80'"],
    ['the right name at another port', 'GET', '/.status', { Host: '127.0.0.1:1' }, 403, "this server does not answer for the host '127.0.0.1:1'"],
    ['no Host header (HTTP/1.0)', 'GET', '/.status', { Host: '' }, 403, 'the request has no Host header'],
    ['a cross-origin POST to /.check', 'POST', '/.check', { Origin: 'http://evil.example' }, 403, "requests from the origin 'http://evil.example' are refused"],
    ['a null Origin (a sandboxed page) POSTing to /.check', 'POST', '/.check', { Origin: 'null' }, 403, "requests from the origin 'null' are refused"],
    ['a cross-origin GET', 'GET', '/.status', { Origin: 'https://127.0.0.1:443' }, 403, "requests from the origin 'https://127.0.0.1:443' are refused"],
    ['a method the server does not serve', 'DELETE', '/.status', {}, 405, 'DELETE is not allowed here'],
    ['a path with nothing there', 'GET', '/nothing', {}, 404, 'nothing at /nothing'],
  ];
  for (const [name, method, target, headers, status, error] of cases) {
    it(name, async () => {
      const all = { Host: host, ...headers };
      if (all.Host === '') delete (all as Record<string, string>).Host;
      const a = await raw(ex.port, request(method, target, all, all.Host === undefined ? '1.0' : '1.1'));
      expect(a.status).toBe(status);
      expect((JSON.parse(a.body) as { error: string }).error).toContain(error);
    });
  }

  it('a refused cross-origin POST starts no check; the same POST from the page does', async () => {
    expect((await raw(ex.port, request('POST', '/.check', { Host: host, Origin: 'http://evil.example' }))).status).toBe(403);
    expect(ex.status().check.state).toBe('off');
    const own = await raw(ex.port, request('POST', '/.check', { Host: `localhost:${ex.port}`, Origin: `http://localhost:${ex.port}` }));
    expect(own.status).toBe(202);
    await ex.runCheck();
    expect(ex.status().check).toMatchObject({ state: 'done', verdict: 'fail', distinct: 16 });
  });

  it('an HTTP/1.1 request without Host is refused by the HTTP parser itself (400)', async () => {
    expect((await raw(ex.port, request('GET', '/.status', {}))).status).toBe(400);
  });

  it('fuzz: 400 seeded random requests over loopback; every one answered with a meant status, the server still up', async () => {
    const prng = new Prng(20_171);
    const pick = <T,>(xs: readonly T[]): T => xs[prng.below(xs.length)];
    const bytes = (n: number, alphabet: string): string => Array.from({ length: n }, () => alphabet[prng.below(alphabet.length)]).join('');
    const URLISH = 'abz09/%.:@[]?#&=+-_~!$\'()*,;|\\^`{}"<> \t';
    const targets = (): string => {
      switch (prng.below(7)) {
        case 0:
          return `/.states/${Array.from({ length: prng.below(6) }, () => String(prng.below(12))).join('/')}`;
        case 1:
          return `/.svg/${bytes(prng.below(12), '0123456789/%ABCDEFx')}`;
        case 2:
          return `/${bytes(prng.below(30), URLISH)}`;
        case 3:
          return `${pick(['http://', 'https://', '//', 'http:', ''])}${bytes(prng.below(16), URLISH)}`;
        case 4:
          return `/.states/${'%'.repeat(prng.below(4))}${bytes(prng.below(6), '0123456789ABCDEFG')}`;
        case 5:
          return pick(['/', '/.status', '/.states', '/index.html', '*', '/.check']);
        default:
          return bytes(prng.below(40), URLISH + String.fromCharCode(0, 1, 127, 200, 255));
      }
    };
    const hosts = [host, `localhost:${ex.port}`, 'evil.example', '', `127.0.0.1:${ex.port + 1}`, bytes(8, URLISH)];
    const origins = [undefined, undefined, `http://${host}`, 'http://evil.example', 'null', bytes(10, URLISH)];
    const meant = new Set([200, 202, 400, 403, 404, 405, 431, 505]);
    const seen = new Map<number | null, number>();
    const started = performance.now();
    for (let i = 0; i < 400 && performance.now() - started < 30_000; i++) {
      const method = pick(['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', bytes(5, 'ABCXYZ')]);
      const headers: Record<string, string> = {};
      const h = pick(hosts);
      if (h !== '') headers.Host = h;
      const o = pick(origins);
      if (o !== undefined) headers.Origin = o;
      const req = prng.below(8) === 0 ? Buffer.from(bytes(prng.below(80), URLISH + '\r\n\0'), 'latin1') : Buffer.from(request(method, targets(), headers), 'latin1');
      const a = await raw(ex.port, req);
      seen.set(a.status, (seen.get(a.status) ?? 0) + 1);
      if (a.status !== null) expect(meant.has(a.status), `status ${a.status} for ${JSON.stringify(req.toString('latin1'))}`).toBe(true);
    }
    expect(seen.get(500)).toBeUndefined();
    // Most requests reach the handler: the fuzz is not all rejected by the HTTP parser.
    expect((seen.get(200) ?? 0) + (seen.get(400) ?? 0) + (seen.get(403) ?? 0) + (seen.get(404) ?? 0)).toBeGreaterThan(200);
    const after = await raw(ex.port, request('GET', '/.status', { Host: host }));
    expect(after.status).toBe(200);
    expect((JSON.parse(after.body) as { spec: string }).spec).toBe('die-hard');
  });
});
