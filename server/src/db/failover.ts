/**
 * Several database hosts for one app server (issue 12, decision 022): `DATABASE_URL=mysql://u:p@db1,db2:3307,db3/hmis`
 * or `HMIS_DB_HOST=db1,db2:3307,db3`. The app uses one host at a time — the first that answers — and stays on it; when
 * that host stops answering (stopped, killed, a Galera node cut off from its cluster) it moves to the next, without a
 * restart. One host at a time keeps a Galera cluster's writes from one app server on one node, which avoids
 * certification conflicts between its own transactions.
 *
 * What a move costs: a request whose connection could not be opened is sent to the next host at once and succeeds
 * there; a request already running on the host when it died gets 503 (whether its commit reached the cluster cannot
 * be known), and the next one goes to the next host.
 */
import type mysql from 'mysql2/promise';
import { isDatabaseUnreachable } from '../errors';

/** A Galera node that is up but not part of the primary component refuses every statement with this (08S01). */
const NODE_NOT_READY = 1047;

/** Whether the host that gave this error should be left for the next one: the errors that answer 503. */
const hostLost = isDatabaseUnreachable;

export interface FailoverEvent {
  from: string;
  to: string;
  reason: string;
}

type Work<T> = (conn: mysql.PoolConnection) => Promise<T>;

/**
 * A stand-in for one mysql2 pool: all work goes to the current host's pool (created when first needed) and moves to
 * the next host's when the current one is lost. Drizzle uses it as it uses a pool (`query`, `execute`,
 * `getConnection`). Work that never reached a server — its connection could not be opened, or a Galera node refused
 * the statement as not ready — is sent to the next host at once, each host tried once.
 */
export class FailoverPool {
  private readonly pools: (mysql.Pool | undefined)[];
  private current = 0;
  /** How many times this pool moved to another host. */
  moves = 0;

  constructor(
    private readonly urls: string[],
    private readonly createPool: (url: string) => mysql.Pool,
    private readonly onMove: (event: FailoverEvent) => void = () => undefined,
  ) {
    if (urls.length === 0) throw new Error('FailoverPool needs at least one database URL');
    this.pools = urls.map(() => undefined);
  }

  /** The host in use, as host:port (never the credentials). */
  get host(): string {
    return hostOf(this.urls[this.current]!);
  }

  /** mysql2's core pool of the host in use (the metrics read its queues). */
  get pool(): unknown {
    return (this.poolAt(this.current) as unknown as { pool?: unknown }).pool;
  }

  query: mysql.Pool['query'] = ((...args: unknown[]) =>
    this.run((conn) => (conn.query as (...a: unknown[]) => Promise<unknown>)(...args))) as mysql.Pool['query'];

  execute: mysql.Pool['execute'] = ((...args: unknown[]) =>
    this.run((conn) => (conn.execute as (...a: unknown[]) => Promise<unknown>)(...args))) as mysql.Pool['execute'];

  /**
   * A connection for a transaction, on the current host. The statements run on it directly, so it reports a lost host
   * itself: its `query` and `execute` leave the host on such an error.
   */
  async getConnection(): Promise<mysql.PoolConnection> {
    const { conn, index } = await this.acquire();
    for (const method of ['query', 'execute'] as const) {
      const call = (conn[method] as (...a: unknown[]) => Promise<unknown>).bind(conn);
      (conn as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
        call(...args).catch((e: unknown) => {
          if (hostLost(e)) this.leave(index, e);
          throw e;
        });
    }
    return conn;
  }

  async end(): Promise<void> {
    await Promise.all(this.pools.map((p) => p?.end()));
  }

  private poolAt(index: number): mysql.Pool {
    return (this.pools[index] ??= this.createPool(this.urls[index]!));
  }

  /** A connection from the current host's pool; a host that cannot give one is left and the next one asked. */
  private async acquire(tried = 1): Promise<{ conn: mysql.PoolConnection; index: number }> {
    const index = this.current;
    try {
      return { conn: await this.poolAt(index).getConnection(), index };
    } catch (e) {
      if (this.urls.length === 1 || !hostLost(e)) throw e;
      this.leave(index, e);
      if (tried >= this.urls.length) throw e;
      return this.acquire(tried + 1);
    }
  }

  /** One statement on a connection of the current host; refused by a node not ready, it is sent to the next host. */
  private async run<T>(work: Work<T>, tried = 1): Promise<T> {
    const { conn, index } = await this.acquire();
    try {
      return await work(conn);
    } catch (e) {
      if (this.urls.length === 1 || !hostLost(e)) throw e;
      this.leave(index, e);
      if ((e as { errno?: unknown }).errno !== NODE_NOT_READY || tried >= this.urls.length) throw e;
      return this.run(work, tried + 1);
    } finally {
      conn.release();
    }
  }

  /** Moves to the host after `index`, unless another request has moved already. */
  private leave(index: number, e: unknown) {
    if (this.current !== index || this.urls.length === 1) return;
    this.current = (index + 1) % this.urls.length;
    this.moves++;
    const { code, errno } = (e ?? {}) as { code?: unknown; errno?: unknown };
    this.onMove({ from: hostOf(this.urls[index]!), to: this.host, reason: String(code ?? errno ?? 'connection lost') });
  }
}

function hostOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/is.exec(url);
  return m?.[1] ?? '?';
}
