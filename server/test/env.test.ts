import { describe, expect, it } from 'vitest';
import { assertServerEnv, readEnv } from '../src/env';

describe('environment', () => {
  it('reads HMIS_TRUST_PROXY=false as false (not as a non-empty string)', () => {
    expect(readEnv({ HMIS_TRUST_PROXY: 'false' }).HMIS_TRUST_PROXY).toBe(false);
    expect(readEnv({ HMIS_TRUST_PROXY: 'true' }).HMIS_TRUST_PROXY).toBe(true);
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
