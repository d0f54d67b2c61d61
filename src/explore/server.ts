// The explorer's HTTP server, on 127.0.0.1 only: the page at `/`, and an API in Stateright's
// manner: `GET /.status` (the spec, and the background check with its discoveries so far),
// `GET /.states/<init>/<a1>/...` (the state an action path reaches and its enabled successors),
// `GET /.svg/<init>/<a1>/...` (the lane diagram of that path) and `POST /.check` (start the
// check when it was not started with the server). One spec instance answers the page; the
// background check builds its own, so the two never share per-run instrumentation.
// Every request is checked first: its Host must name this server (127.0.0.1 or localhost at
// its port), and an Origin, if sent, must be this server's, so that no other web site reaches it
// through DNS rebinding or a cross-origin POST (403 otherwise). A request the server cannot
// parse answers 400; no request makes the handler throw.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { check } from '../check/explore';
import type { CheckResult, Discovery } from '../check/result';
import { TraceFileError, UsageError, messageOf } from '../core/errors';
import type { Spec, SpecDefinition } from '../core/spec';
import { processesFromParams } from '../render/svg-lane-model';
import { renderLaneSvg } from '../render/svg-lanes';
import { buildSpec } from '../run';
import { decodePath, encodePath } from '../trace/trace';
import { initialViews, stateView, traceAt, traceShowing } from './model';
import { explorerPage } from './page';

export interface ExplorerOptions {
  readonly definition: SpecDefinition;
  readonly config?: string;
  /** How commands name the spec (its id, or the user's spec file). */
  readonly specArg?: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Start the full check in the background at once (default true); otherwise on request. */
  readonly check?: boolean;
  /** Distinct-state limit of the background check (default 5,000,000). */
  readonly maxStates?: number;
}

export type CheckState = 'off' | 'running' | 'done' | 'error';

export interface StatusView {
  readonly spec: string;
  readonly config: string;
  readonly title: string;
  readonly specArg: string;
  readonly actions: number;
  readonly initialStates: number;
  readonly properties: readonly { readonly name: string; readonly kind: string }[];
  readonly check: {
    readonly state: CheckState;
    readonly verdict: CheckResult['verdict'] | null;
    readonly distinct: number;
    readonly generated: number;
    readonly depth: number;
    readonly queued: number;
    readonly limit: string | null;
    readonly error: string | null;
    readonly discoveries: readonly { readonly property: string; readonly kind: string; readonly path: string; readonly length: number }[];
    readonly lockOrder: readonly string[];
  };
}

export interface Explorer {
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  readonly port: number;
  status(): StatusView;
  /** Starts the background check if it is not running or done; resolves when it ends. */
  runCheck(): Promise<void>;
  /** Stops the check and the server; resolves when every connection is closed. */
  close(): Promise<void>;
}

const MAX_PATH = 10_000;

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body, null, 2)}\n`);
}

function pathFrom(rest: string): ReturnType<typeof decodePath> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    throw new TraceFileError(`'${rest.slice(0, 40)}' is not a valid URL path (a bad %-escape)`);
  }
  const text = decoded.replace(/^\/+|\/+$/g, '');
  if (text === '') throw new TraceFileError('an action path needs at least the initial state index, e.g. /.states/0');
  const p = decodePath(text);
  if (p.actions.length > MAX_PATH) throw new TraceFileError(`the path is longer than ${MAX_PATH} steps`);
  return p;
}

/** The names a browser may use for the listening address: the address itself, and localhost for a loopback one. */
function hostNames(host: string): string[] {
  const bracketed = host.includes(':') ? `[${host}]` : host;
  const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
  return [...new Set([bracketed.toLowerCase(), ...(loopback ? ['localhost', '127.0.0.1'] : [])])];
}

/** Why a request is refused (403), or undefined: a Host that is not this server, a foreign Origin. */
function refusal(req: IncomingMessage, hosts: ReadonlySet<string>): string | undefined {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return host === '' ? 'the request has no Host header' : `this server does not answer for the host '${host.slice(0, 100)}'`;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const m = /^http:\/\/([^/]+)$/i.exec(origin);
    if (!m || !hosts.has(m[1].toLowerCase())) return `requests from the origin '${origin.slice(0, 100)}' are refused: only this server's own page may call it`;
  }
  return undefined;
}

export async function startExplorer(opts: ExplorerOptions): Promise<Explorer> {
  const def = opts.definition;
  const { spec, name: config, params } = buildSpec(def, opts.config);
  const info = { specId: def.id, config };
  const specArg = opts.specArg ?? def.id;
  const processOf = processesFromParams(params);
  const host = opts.host ?? '127.0.0.1';

  // The background check.
  const controller = new AbortController();
  let state: CheckState = 'off';
  let running: Promise<void> | undefined;
  let progress = { distinct: 0, generated: 0, depth: 0, queued: 0 };
  let discoveries: Discovery[] = [];
  let result: CheckResult | undefined;
  let error: string | null = null;
  const runCheck = (): Promise<void> => {
    if (running) return running;
    state = 'running';
    running = (async () => {
      try {
        const own: Spec = buildSpec(def, config).spec;
        result = await check(
          own,
          { stopAt: 'all', deadlock: true, maxStates: opts.maxStates ?? 5_000_000, signal: controller.signal },
          {
            onProgress: (p) => void (progress = { distinct: p.distinct, generated: p.generated, depth: p.depth, queued: p.queued }),
            onDiscovery: (d) => void (discoveries = [...discoveries, d]),
          },
        );
        discoveries = [...result.discoveries];
        progress = { distinct: result.stats.distinct, generated: result.stats.generated, depth: result.stats.depth, queued: result.stats.queued };
        state = result.verdict === 'error' ? 'error' : 'done';
        if (result.verdict === 'error') error = result.error ?? 'the spec failed';
      } catch (e) {
        state = 'error';
        error = messageOf(e);
      }
    })();
    return running;
  };

  const status = (): StatusView => ({
    spec: def.id,
    config,
    title: def.title,
    specArg,
    actions: spec.actions.length,
    initialStates: spec.init.length,
    properties: [...spec.properties.map((p) => ({ name: p.name, kind: p.kind })), { name: 'deadlock', kind: 'deadlock' }],
    check: {
      state,
      verdict: result?.verdict ?? null,
      ...progress,
      limit: result?.limit?.detail ?? null,
      error,
      discoveries: discoveries.map((d) => ({ property: d.property, kind: d.kind, path: encodePath(d.path), length: d.path.actions.length })),
      lockOrder: (result?.analyses ?? []).flatMap((a) => a.findings.map((f) => f.summary)),
    },
  });

  const page = explorerPage({ spec: def.id, config, title: def.title });
  /** The Host headers that name this server (filled in once it listens and its port is known). */
  const hosts = new Set<string>();
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      const refused = refusal(req, hosts);
      if (refused) return json(res, 403, { error: refused });
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        return json(res, 400, { error: 'the request target is not a URL path' });
      }
      const p = url.pathname;
      if (req.method === 'POST' && p === '/.check') {
        void runCheck();
        json(res, 202, status());
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        json(res, 405, { error: `${req.method ?? '?'} is not allowed here` });
        return;
      }
      if (p === '/' || p === '/index.html') return send(res, 200, 'text/html; charset=utf-8', page);
      if (p === '/.status') return json(res, 200, status());
      if (p === '/.states' || p === '/.states/') return json(res, 200, { spec: def.id, config, initial: initialViews(spec, info) });
      if (p.startsWith('/.states/')) return json(res, 200, stateView(spec, traceAt(spec, pathFrom(p.slice('/.states/'.length)), info)));
      if (p.startsWith('/.svg/')) {
        const t = traceShowing(spec, pathFrom(p.slice('/.svg/'.length)), info);
        return send(res, 200, 'image/svg+xml; charset=utf-8', renderLaneSvg(t, processOf ? { processOf } : {}));
      }
      json(res, 404, { error: `nothing at ${p}` });
    } catch (e) {
      if (res.headersSent) res.destroy();
      else if (e instanceof TraceFileError) json(res, 400, { error: e.message });
      else json(res, 500, { error: messageOf(e) });
    }
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') reject(new UsageError(`port ${opts.port} on ${host} is in use (--port 0 picks a free one)`));
      else if (e.code === 'EACCES') reject(new UsageError(`no permission to listen on port ${opts.port} (--port 0 picks a free one)`));
      else reject(e);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(opts.port, host);
  });
  const port = (server.address() as AddressInfo).port;
  for (const h of hostNames(host)) hosts.add(`${h}:${port}`);
  if (opts.check ?? true) void runCheck();

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}/`,
    port,
    status,
    runCheck,
    close() {
      closing ??= (async () => {
        controller.abort();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await running;
      })();
      return closing;
    },
  };
}
