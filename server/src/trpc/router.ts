import { apiTokensRouter } from './routers/api-tokens';
import { authRouter } from './routers/auth';
import { consultationsRouter } from './routers/consultations';
import { drugsRouter } from './routers/drugs';
import { nurseNotesRouter } from './routers/nurse-notes';
import { patientsRouter } from './routers/patients';
import { prescriptionsRouter } from './routers/prescriptions';
import { staffRouter } from './routers/staff';
import { auditRouter, systemRouter } from './routers/system';
import { vitalsRouter } from './routers/vitals';
import { router } from './trpc';

export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  patients: patientsRouter,
  consultations: consultationsRouter,
  prescriptions: prescriptionsRouter,
  vitals: vitalsRouter,
  nurseNotes: nurseNotesRouter,
  drugs: drugsRouter,
  staff: staffRouter,
  audit: auditRouter,
  apiTokens: apiTokensRouter,
});

/** The web client imports this type only, never server code. */
export type AppRouter = typeof appRouter;
