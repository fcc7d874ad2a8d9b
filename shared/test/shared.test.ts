import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  can,
  formatStaffNumber,
  normalizePhone,
  parseStaffNumber,
  PatientCreateInput,
  PERMISSIONS,
  ROLES,
  StaffCreateInput,
  VitalCreateInput,
  vitalFlags,
  LoginInput,
  PageInput,
  PAGE_SIZE_MAX,
  DateOfBirth,
} from '../src';

describe('permission table', () => {
  it('lets only record officers write patients', () => {
    expect(ROLES.filter((r) => can(r, 'patient:write'))).toEqual(['recordofficer']);
  });
  it('gives the admin no clinical access', () => {
    const clinical = Object.keys(PERMISSIONS).filter((p) => /^(patient|consultation|prescription|vital|nursenote|drug):/.test(p));
    for (const p of clinical) expect(can('admin', p as keyof typeof PERMISSIONS), p).toBe(false);
  });
  it('lets only pharmacists dispense and only doctors prescribe', () => {
    expect(ROLES.filter((r) => can(r, 'prescription:dispense'))).toEqual(['pharmacist']);
    expect(ROLES.filter((r) => can(r, 'prescription:write'))).toEqual(['doctor']);
  });
});

describe('staff numbers', () => {
  it('format with the role prefix and four digits', () => {
    expect(formatStaffNumber('doctor', 1)).toBe('DOC0001');
    expect(formatStaffNumber('recordofficer', 12345)).toBe('REC12345');
  });
  it('parse from a number or a staff number, and reject anything else', () => {
    expect(parseStaffNumber('DOC0012')).toBe(12);
    expect(parseStaffNumber('12')).toBe(12);
    expect(parseStaffNumber('XYZ0001')).toBeNull();
    expect(parseStaffNumber('DOC')).toBeNull();
    expect(parseStaffNumber('0')).toBeNull();
  });
});

describe('field building blocks', () => {
  it('normalises phone numbers to digits with an optional leading +', () => {
    expect(normalizePhone(' +234 (803) 555-0101 ')).toBe('+2348035550101');
  });
  it('rejects a future date of birth, naming dob', () => {
    const r = PatientCreateInput.safeParse({ firstName: 'A', lastName: 'B', gender: 'Male', dob: '2999-01-01' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain('dob');
  });
  it('caps the page size', () => {
    expect(PageInput.safeParse({ limit: PAGE_SIZE_MAX + 1 }).success).toBe(false);
    expect(PageInput.parse({}).limit).toBe(20);
  });
  it('requires a username or an email to log in', () => {
    expect(LoginInput.safeParse({ password: 'x' }).success).toBe(false);
    expect(LoginInput.safeParse({ email: 'a@b.c', password: 'x' }).success).toBe(true);
  });
  it('requires a password of at least 10 characters for staff', () => {
    const r = StaffCreateInput.safeParse({
      username: 'abc',
      email: 'a@b.co',
      password: 'short',
      role: 'nurse',
      firstName: 'A',
      lastName: 'B',
      gender: 'Female',
    });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['password']);
  });
});

describe('vital signs', () => {
  it('rejects impossible values with the field named', () => {
    const r = VitalCreateInput.safeParse({ patientId: 1, pulseRate: 400, temperature: 20 });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['pulseRate', 'temperature']);
  });
  it('flags values outside the normal range', () => {
    expect(vitalFlags({ pulseRate: 130, temperature: 35, spo2: 98 })).toEqual({ pulseRate: 'high', temperature: 'low' });
    expect(vitalFlags({ pulseRate: 72, heightCm: 250 })).toEqual({});
  });
});

describe('a date of birth is judged against the local date, not the date in UTC', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    vi.useRealTimers();
    process.env.TZ = zone;
  });

  it('in Lagos (UTC+1) a baby born at 00:40 on 5 March is not "born in the future"', () => {
    process.env.TZ = 'Africa/Lagos';
    vi.useFakeTimers({ now: new Date('2026-03-04T23:40:00Z'), toFake: ['Date'] });
    expect(DateOfBirth.safeParse('2026-03-05').success).toBe(true);
    expect(DateOfBirth.safeParse('2026-03-06').success).toBe(false);
  });

  it('west of Greenwich, at 21:00 on 4 March, 5 March is still in the future', () => {
    process.env.TZ = 'America/New_York';
    vi.useFakeTimers({ now: new Date('2026-03-05T02:00:00Z'), toFake: ['Date'] });
    expect(DateOfBirth.safeParse('2026-03-04').success).toBe(true);
    expect(DateOfBirth.safeParse('2026-03-05').success).toBe(false);
  });
});
