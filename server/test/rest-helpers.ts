import type { FastifyInstance } from 'fastify';
import { PASSWORD } from './helpers';
import { settleGroupCommits } from '../src/db/group-commit';

export interface RestResult<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

/** A REST client over app.inject: session cookie + CSRF token like a browser, or a bearer token like a machine. */
export class RestClient {
  cookie: string | undefined;
  csrfToken: string | undefined;
  bearer: string | undefined;
  constructor(private readonly app: FastifyInstance) {}

  async call<T = any>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RestResult<T>> {
    const res = await this.app.inject({
      method,
      url,
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
        ...(method !== 'GET' && this.csrfToken ? { 'x-csrf-token': this.csrfToken } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    // A read's view event is written after it answers (decision 008): let it land before the test looks.
    await settleGroupCommits();
    const setCookie = res.cookies.filter((c) => c.name === 'hmis_session').at(-1);
    if (setCookie) this.cookie = setCookie.value ? `hmis_session=${setCookie.value}` : undefined;
    const text = res.body;
    return { status: res.statusCode, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }
  get<T = any>(url: string) {
    return this.call<T>('GET', url);
  }
  post<T = any>(url: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.call<T>('POST', url, body, headers);
  }
  put<T = any>(url: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.call<T>('PUT', url, body, headers);
  }
  delete<T = any>(url: string) {
    return this.call<T>('DELETE', url);
  }

  async login(username: string, password = PASSWORD, base = '/api/v1'): Promise<RestResult> {
    const res = await this.post(`${base}/auth/login`, { username, password });
    if (res.status === 200) this.csrfToken = res.body.csrfToken;
    return res;
  }
}

export async function restLoggedIn(app: FastifyInstance, username: string): Promise<RestClient> {
  const c = new RestClient(app);
  const res = await c.login(username);
  if (res.status !== 200) throw new Error(`REST login as ${username} failed: ${res.status}`);
  return c;
}
