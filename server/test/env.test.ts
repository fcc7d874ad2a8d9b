import mysql from 'mysql2/promise';
import { describe, expect, inject, it } from 'vitest';
import { assertServerEnv, readEnv } from '../src/env';
import { uniqueName } from './helpers';

describe('environment', () => {
  it('reads HMIS_TRUST_PROXY=false as false (not as a non-empty string), and true as one hop, never every hop', () => {
    expect(readEnv({ HMIS_TRUST_PROXY: 'false' }).HMIS_TRUST_PROXY).toBe(false);
    expect(readEnv({}).HMIS_TRUST_PROXY).toBe(false);
    expect(readEnv({ HMIS_TRUST_PROXY: 'true' }).HMIS_TRUST_PROXY).toBe(1);
  });
  it("takes HMIS_TRUST_PROXY as a number of hops or as the proxies' addresses and CIDR ranges (issue 12)", () => {
    expect(readEnv({ HMIS_TRUST_PROXY: '2' }).HMIS_TRUST_PROXY).toBe(2);
    expect(readEnv({ HMIS_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1' }).HMIS_TRUST_PROXY).toEqual(['10.0.0.5', '10.1.0.0/16', '::1']);
    for (const bad of ['10.0.0.300', '10.0.0.0/33', 'nginx', '11', '10.0.0.1/8/9']) {
      expect(() => readEnv({ HMIS_TRUST_PROXY: bad }), bad).toThrow(/HMIS_TRUST_PROXY must be false, true \(one hop\), a number of hops/);
    }
  });
  it('names the variable in one line when a value is invalid', () => {
    expect(() => readEnv({ PORT: 'eighty' })).toThrow(/^Invalid environment: PORT/);
  });
  it('requires a session secret of 32+ characters for the production server, not for the console', () => {
    expect(() => assertServerEnv(readEnv({ NODE_ENV: 'production' }))).toThrow(/SESSION_SECRET/);
    expect(() => readEnv({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
    expect(() => assertServerEnv(readEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }))).not.toThrow();
    expect(readEnv({ NODE_ENV: 'production' }).NODE_ENV).toBe('production');
  });
});

describe('the database as separate settings (HMIS_DB_*)', () => {
  const awkward = 'p@ss:w/rd#?%41 &=+ü';

  it('builds DATABASE_URL with the user and password escaped, and defaults port 3306 and database hmis', () => {
    const url = readEnv({ HMIS_DB_HOST: 'db.internal', HMIS_DB_USER: 'hmis app', HMIS_DB_PASSWORD: awkward }).DATABASE_URL;
    expect(url).toBe(`mysql://hmis%20app:${encodeURIComponent(awkward)}@db.internal:3306/hmis`);
    const parsed = new URL(url ?? '');
    expect([decodeURIComponent(parsed.username), decodeURIComponent(parsed.password), parsed.hostname, parsed.pathname]).toEqual([
      'hmis app',
      awkward,
      'db.internal',
      '/hmis',
    ]);
  });

  it('puts an IPv6 address in brackets and takes the port and database name given', () => {
    expect(readEnv({ HMIS_DB_HOST: '::1', HMIS_DB_PORT: '3307', HMIS_DB_USER: 'hmis', HMIS_DB_NAME: 'hmis_prod' }).DATABASE_URL).toBe(
      'mysql://hmis@[::1]:3307/hmis_prod',
    );
  });

  it('refuses both ways at once, parts without a host or user, and a host or database name that would change the URL', () => {
    expect(() => readEnv({ DATABASE_URL: 'mysql://a@b/c', HMIS_DB_HOST: 'db', HMIS_DB_USER: 'hmis' })).toThrow(
      /^Invalid environment: set DATABASE_URL or HMIS_DB_HOST, HMIS_DB_USER, not both/,
    );
    expect(() => readEnv({ HMIS_DB_PASSWORD: 'secret' })).toThrow(/^Invalid environment: HMIS_DB_HOST and HMIS_DB_USER are needed/);
    expect(() => readEnv({ HMIS_DB_HOST: 'db', HMIS_DB_PASSWORD: 'secret' })).toThrow(/HMIS_DB_USER are needed/);
    expect(() => readEnv({ HMIS_DB_HOST: 'evil@db/x', HMIS_DB_USER: 'hmis' })).toThrow(/^Invalid environment: HMIS_DB_HOST/);
    expect(() => readEnv({ HMIS_DB_HOST: 'db', HMIS_DB_USER: 'hmis', HMIS_DB_NAME: 'hmis?x=1' })).toThrow(
      /^Invalid environment: HMIS_DB_NAME/,
    );
    expect(readEnv({}).DATABASE_URL).toBeUndefined();
  });

  it('signs in to the real database with a password full of URL characters', async () => {
    const server = new URL(inject('dbServerUrl'));
    const admin = await mysql.createConnection({ uri: server.toString() });
    const user = uniqueName('hmis_env_');
    const hosts = ['%', 'localhost', '127.0.0.1'];
    try {
      for (const host of hosts) await admin.query('CREATE USER ?@? IDENTIFIED BY ?', [user, host, awkward]);
      const { DATABASE_URL } = readEnv({
        HMIS_DB_HOST: server.hostname,
        HMIS_DB_PORT: server.port || '3306',
        HMIS_DB_USER: user,
        HMIS_DB_PASSWORD: awkward,
      });
      const conn = await mysql.createConnection({ uri: DATABASE_URL?.replace(/\/hmis$/, '/') });
      try {
        const [rows] = await conn.query('SELECT CURRENT_USER() AS who');
        expect((rows as { who: string }[])[0]?.who).toMatch(new RegExp(`^${user}@`));
      } finally {
        await conn.end();
      }
    } finally {
      for (const host of hosts) await admin.query('DROP USER IF EXISTS ?@?', [user, host]);
      await admin.end();
    }
  });
});
