import type { Role } from '@hmis/shared';
import type { Clock } from '../clock';

/** Who is acting. Always built from the session (or API token, or the console's operator), never from input. */
export interface Actor {
  id: number;
  role: Role;
  name: string;
  /** Set when the request was authenticated by a personal API token. */
  token?: { id: number; scope: 'read' | 'write' };
}

/** What every service function needs besides its executor and input. */
export interface Ctx {
  actor: Actor;
  clock: Clock;
  ip: string | null;
}
