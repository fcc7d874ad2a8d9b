/**
 * The console's commands. Each line is one command in either syntax (`show Patient 3` or `Patient.show(3)`); every
 * change goes through the procedures inside the open unit of work, with the operator as the actor.
 */
import { StaffCreateInput, type Page } from '@hmis/shared';
import type { Clock } from '../clock';
import { migrateDatabase, type Db } from '../db/client';
import { AppError, toAppError } from '../errors';
import * as auth from '../services/auth';
import type { Actor } from '../services/context';
import { createFirstAdmin, findStaffIdByUsername } from '../services/staff';
import { checkLedger } from '../services/stock';
import { appRouter } from '../trpc/router';
import { createCallerFactory } from '../trpc/trpc';
import { parseFields, splitWords } from './args';
import { CLASSES, CLASS_NAMES, UPDATE_PROCEDURE, type Call, type ClassSpec } from './classes';
import { openTransaction, type OpenTransaction } from './unit-of-work';

type Obj = Record<string, unknown>;
const createCaller = createCallerFactory(appRouter);

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Reads a secret (no echo on a terminal); null when none can be had. */
  secret(prompt: string): Promise<string | null>;
}

export const COMMANDS: Record<string, string> = {
  help: 'help [command] — list the commands, or show how to use one',
  quit: 'quit — leave (asks before dropping unsaved changes); Ctrl-D does the same',
  create: 'create <Class> [key=value … | {json}] — create an object and print its id; <Class>.create(…) works too',
  show: 'show <Class> <id> — print one object; <Class>.show(<id>)',
  all: 'all [Class] [key=value …] — print objects a page at a time (limit=, cursor=; patientId= for clinical records); <Class>.all()',
  count: '<Class>.count() or count <Class> — how many exist',
  update:
    'update <Class> <id> <field> <value> | update <Class> <id> key=value … | update <Class> <id> {json}; <Class>.update(<id>, {json})',
  destroy: 'destroy <Class> <id> — delete one object; <Class>.destroy(<id>)',
  save: 'save — commit every change made since the last save, all at once',
  login: 'login <username> — sign in as the operator (password asked without echo, or HMIS_CONSOLE_PASSWORD)',
  whoami: 'whoami — the signed-in operator',
  'create-admin':
    'create-admin username=… email=… firstName=… lastName=… gender=… — the first admin of an empty database (password asked, or HMIS_NEW_PASSWORD)',
  'reset-password':
    'reset-password <username or staff id> — set a new password for a staff member (admin; password asked, or HMIS_NEW_PASSWORD)',
  migrate: 'migrate — apply the database migrations',
  'check-stock':
    "check-stock — verify the stock ledger: every lot's stock is the sum of its movements, every drug's the sum of its lots (fails if not)",
};

export class Interpreter {
  actor: Actor | null = null;
  private work: OpenTransaction | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly io: Io,
    private readonly json: boolean,
  ) {}

  get unsaved(): boolean {
    return this.work !== null;
  }

  /** Runs one line. Returns false when it failed (the error was already printed). */
  async run(line: string): Promise<boolean> {
    const text = line.trim();
    if (!text || text.startsWith('#')) return true;
    try {
      await this.dispatch(text);
      return true;
    } catch (e) {
      const err = toAppError(e);
      if (this.json) this.io.err(JSON.stringify({ error: { code: err.code, message: err.message, fields: err.fields } }));
      else this.io.err(`** ${err.code === 'INTERNAL' && e instanceof Error ? e.message : err.message} **`);
      return false;
    }
  }

  async save(): Promise<void> {
    if (!this.work) {
      this.io.out('Nothing to save.');
      return;
    }
    const work = this.work;
    this.work = null;
    await work.commit();
    this.io.out('Saved.');
  }

  async discard(): Promise<void> {
    const work = this.work;
    this.work = null;
    await work?.rollback();
  }

  async logout(): Promise<void> {
    if (this.actor) await auth.recordLogout(this.db, { actor: this.actor, clock: this.clock, ip: 'console' });
  }

  async login(username: string, password: string): Promise<void> {
    const { actor } = await auth.login(this.db, { clock: this.clock, ip: 'console' }, { username: username.toLowerCase(), password });
    this.actor = actor;
  }

  private async dispatch(text: string): Promise<void> {
    const dot = /^([A-Za-z]\w*)\.(\w+)\((.*)\)\s*;?$/s.exec(text);
    if (dot) return this.dotted(dot[1]!, dot[2]!, dot[3]!.trim());
    const [command = '', ...rest] = text.split(/\s+/);
    const after = text.slice(command.length).trim();
    switch (command) {
      case 'help':
        return this.help(rest[0]);
      case 'create':
        return this.create(rest[0], after.slice((rest[0] ?? '').length));
      case 'show':
        return this.show(rest[0], rest[1]);
      case 'all':
        return this.all(
          rest[0] && !rest[0].includes('=') ? rest[0] : undefined,
          rest[0] && !rest[0].includes('=') ? after.slice(rest[0].length) : after,
        );
      case 'count':
        return this.count(rest[0]);
      case 'update':
        return this.update(
          rest[0],
          rest[1],
          after
            .slice((rest[0] ?? '').length)
            .trim()
            .slice((rest[1] ?? '').length),
        );
      case 'destroy':
        return this.destroy(rest[0], rest[1]);
      case 'save':
        return this.save();
      case 'login':
        return this.loginCommand(rest[0]);
      case 'whoami':
        this.io.out(this.actor ? `${this.actor.name} (${this.actor.role}, staff id ${this.actor.id})` : 'Not signed in.');
        return;
      case 'create-admin':
        return this.createAdmin(after);
      case 'reset-password':
        return this.resetPassword(rest[0]);
      case 'migrate':
        await migrateDatabase(this.db);
        this.io.out('Migrations applied.');
        return;
      case 'check-stock':
        return this.checkStock();
      default:
        throw new AppError('VALIDATION', `Unknown command: ${command} (try help)`);
    }
  }

  /** Read-only and without health data, so it needs no sign-in (like migrate). */
  private async checkStock(): Promise<void> {
    const check = await checkLedger(this.db);
    const counts = `${check.drugs} drugs, ${check.lots} lots, ${check.movements} movements`;
    if (this.json) this.io.out(JSON.stringify(check));
    if (check.problems.length === 0) {
      if (!this.json) this.io.out(`Stock ledger consistent: ${counts}.`);
      return;
    }
    if (!this.json) for (const p of check.problems) this.io.out(`  ${p}`);
    throw new AppError('CONFLICT', `Stock ledger inconsistent: ${check.problems.length} problems in ${counts}`);
  }

  private async dotted(cls: string, method: string, args: string): Promise<void> {
    switch (method) {
      case 'all':
        return this.all(cls, args);
      case 'count':
        return this.count(cls);
      case 'show':
        return this.show(cls, stripQuotes(args));
      case 'destroy':
        return this.destroy(cls, stripQuotes(args));
      case 'create':
        return this.create(cls, args);
      case 'update': {
        const comma = args.indexOf(',');
        if (comma < 0) return this.update(cls, stripQuotes(args), '');
        return this.update(cls, stripQuotes(args.slice(0, comma)), args.slice(comma + 1));
      }
      default:
        throw new AppError('VALIDATION', `Unknown command: ${cls}.${method}() (try help)`);
    }
  }

  private help(topic?: string) {
    if (topic) {
      const usage = COMMANDS[topic];
      if (!usage) throw new AppError('VALIDATION', `No such command: ${topic}`);
      this.io.out(usage);
      return;
    }
    this.io.out('Commands (help <command> for one):');
    for (const usage of Object.values(COMMANDS)) this.io.out(`  ${usage}`);
    this.io.out(`Classes: ${CLASS_NAMES.join(' ')}`);
  }

  private spec(cls: string | undefined): [string, ClassSpec] {
    if (!cls) throw new AppError('VALIDATION', 'Class name missing');
    const spec = CLASSES[cls];
    if (!spec) throw new AppError('VALIDATION', `Unknown class: ${cls} (classes: ${CLASS_NAMES.join(', ')})`);
    return [cls, spec];
  }

  private requireId(id: string | undefined): string {
    if (!id) throw new AppError('VALIDATION', 'Instance id missing');
    return id;
  }

  /** A caller as the operator; `write` opens the unit of work when none is open. */
  private async caller(write: boolean): Promise<{ call: Call; db: Db }> {
    if (!this.actor) throw new AppError('UNAUTHENTICATED', 'Sign in first: hmis --user <username>, or the login command');
    if (write && !this.work) this.work = await openTransaction(this.db);
    const db = (this.work?.tx ?? this.db) as Db;
    const caller = createCaller({ db, clock: this.clock, ip: 'console', actor: this.actor, session: null });
    const call: Call = (procedure, input) => {
      let target: unknown = caller;
      for (const part of procedure.split('.')) target = (target as Record<string, unknown>)[part];
      return (target as (i: unknown) => Promise<unknown>)(input);
    };
    return { call, db };
  }

  private print(cls: string, o: Obj) {
    if (this.json) return this.io.out(JSON.stringify(o));
    this.io.out(`[${cls}] ${o.id ?? ''}`.trimEnd());
    for (const [k, v] of Object.entries(o)) {
      if (k === 'id') continue;
      this.io.out(`  ${k}: ${v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    }
  }

  private async create(cls: string | undefined, fieldsText: string) {
    const [name, spec] = this.spec(cls);
    if (!spec.create) throw new AppError('VALIDATION', `${name} objects cannot be created here`);
    const fields = parseFields(fieldsText.trim().replace(/^\(|\)$/g, ''), spec.createProcedure);
    const { call, db } = await this.caller(true);
    const created = await spec.create(call, db, fields);
    this.io.out(this.json ? JSON.stringify(created) : String(created.id));
  }

  private async show(cls: string | undefined, id: string | undefined) {
    const [name, spec] = this.spec(cls);
    const { call, db } = await this.caller(false);
    this.print(name, await spec.show(call, db, this.requireId(id)));
  }

  private async all(cls: string | undefined, argsText: string) {
    const { call, db } = await this.caller(false);
    const names = cls ? [this.spec(cls)[0]] : ['Patient', 'Staff', 'Drug', 'Prescription'];
    for (const name of names) {
      const spec = CLASSES[name]!;
      const args = parseFields(argsText, undefined);
      const page: Page<Obj> = await spec.list(call, db, args);
      if (this.json) {
        this.io.out(JSON.stringify(page));
        continue;
      }
      for (const o of page.items) this.io.out(`[${name} ${o.id}] ${spec.summary(o)}`);
      if (page.items.length === 0) this.io.out(`(no ${name} objects)`);
      if (page.nextCursor) this.io.out(`-- more: all ${name} cursor=${page.nextCursor}`);
    }
    if (!cls && !this.json) this.io.out('(Consultation, Vital and NurseNote: all <Class> patientId=…; PrescriptionDrug: prescriptionId=…)');
  }

  private async count(cls: string | undefined) {
    const [, spec] = this.spec(cls);
    const { call, db } = await this.caller(false);
    const n = await spec.count(call, db);
    this.io.out(this.json ? JSON.stringify({ count: n }) : String(n));
  }

  private async update(cls: string | undefined, id: string | undefined, rest: string) {
    const [name, spec] = this.spec(cls);
    if (!spec.update) throw new AppError('VALIDATION', `${name} objects cannot be updated`);
    const theId = this.requireId(id);
    const text = rest.trim();
    if (!text) throw new AppError('VALIDATION', 'Attribute name missing');
    let fields: Obj;
    if (text.startsWith('{') || /^\w+=/.test(text)) {
      fields = parseFields(text, UPDATE_PROCEDURE[name]);
    } else {
      const [field = '', ...valueWords] = splitWords(text);
      if (valueWords.length === 0) throw new AppError('VALIDATION', 'Value missing');
      fields = parseFields(`${field}=${JSON.stringify(valueWords.join(' '))}`, UPDATE_PROCEDURE[name]);
    }
    const { call, db } = await this.caller(true);
    const updated = await spec.update(call, db, theId, fields);
    if (this.json) this.io.out(JSON.stringify(updated));
  }

  private async destroy(cls: string | undefined, id: string | undefined) {
    const [name, spec] = this.spec(cls);
    if (!spec.destroy) throw new AppError('VALIDATION', `${name} objects cannot be deleted`);
    const theId = this.requireId(id);
    const { call, db } = await this.caller(true);
    await spec.destroy(call, db, theId);
  }

  private async loginCommand(username: string | undefined) {
    if (!username) throw new AppError('VALIDATION', 'Username missing: login <username>');
    const password = await this.io.secret(`Password for ${username}: `);
    if (password == null) throw new AppError('VALIDATION', 'No password: set HMIS_CONSOLE_PASSWORD or run in a terminal');
    await this.login(username, password);
    this.io.out(`Signed in as ${this.actor!.name} (${this.actor!.role}).`);
  }

  private async newPassword(): Promise<string> {
    const first = await this.io.secret('New password: ');
    if (first == null) throw new AppError('VALIDATION', 'No password: set HMIS_NEW_PASSWORD or run in a terminal');
    const again = await this.io.secret('Again: ');
    if (again !== null && again !== first)
      throw new AppError('VALIDATION', 'The passwords differ', [{ path: 'password', message: 'Does not match' }]);
    return first;
  }

  /** The first admin of an empty installation; acts at once (not part of the unit of work). */
  private async createAdmin(fieldsText: string) {
    const fields = parseFields(fieldsText, 'staff.create');
    const input = StaffCreateInput.parse({ ...fields, role: 'admin', password: await this.newPassword() });
    const admin = await createFirstAdmin(this.db, { clock: this.clock, ip: 'console' }, input);
    this.io.out(this.json ? JSON.stringify(admin) : `Created admin ${admin.username} (${admin.staffNumber}).`);
  }

  /** Sets a staff member's password (admin operator); acts at once, and ends that person's sessions. */
  private async resetPassword(ref: string | undefined) {
    if (!ref) throw new AppError('VALIDATION', 'Give a username or staff id: reset-password <who>');
    const { call } = await this.caller(false);
    const target = await this.findStaff(call, ref);
    const password = await this.newPassword();
    const caller = createCaller({ db: this.db, clock: this.clock, ip: 'console', actor: this.actor!, session: null });
    await caller.staff.update({ id: target.id as number, version: target.version as number, password });
    this.io.out(`Password reset for ${target.username}.`);
  }

  private async findStaff(call: Call, ref: string): Promise<Obj> {
    const id = /^(\d+|[A-Za-z]{3}\d+)$/.test(ref) ? ref : await findStaffIdByUsername(this.db, ref);
    if (id == null) throw new AppError('NOT_FOUND', `No staff member ${ref}`);
    return (await call('staff.get', { id: /^\d+$/.test(String(id)) ? Number(id) : id })) as Obj;
  }
}

function stripQuotes(s: string): string {
  return s.trim().replace(/^["']|["']$/g, '');
}
