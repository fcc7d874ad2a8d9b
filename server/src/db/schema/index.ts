export * from './staff';
export * from './patients';
export * from './clinical';
export * from './drugs';
export * from './system';
