#!/usr/bin/env node
// The `hmis` command: the HMIS console (TypeScript source, run through tsx).
import { register } from 'tsx/esm/api';

register();
await import('../src/console/main.ts');
