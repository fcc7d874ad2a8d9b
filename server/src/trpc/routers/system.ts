import { AuditEvent, AuditListInput, Page, Stats, Status } from '@hmis/shared';
import { listAudit } from '../../services/audit';
import { readStats } from '../../services/counts';
import { databaseAnswers } from '../../services/system';
import { permissionProcedure, publicProcedure, router } from '../trpc';

export const systemRouter = router({
  /** OK when the database answers. Needs no sign-in. */
  status: publicProcedure
    .output(Status)
    .query(async ({ ctx }) => ({ status: (await databaseAnswers(ctx.db)) ? ('OK' as const) : ('FAIL' as const) })),
  stats: permissionProcedure('stats:read')
    .output(Stats)
    .query(({ ctx }) => readStats(ctx.db)),
});

export const auditRouter = router({
  /** Audit events about one patient or by one staff member, newest first. Admin only. */
  list: permissionProcedure('audit:read')
    .input(AuditListInput)
    .output(Page(AuditEvent))
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
});
