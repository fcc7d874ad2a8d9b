import { idColumn, timestamps, version } from './columns';
import { staff } from './staff';

/** created/updated stamps, who did it (always from the session), and the version for optimistic locking. */
export const recordColumns = () => ({
  ...timestamps(),
  createdBy: idColumn().references(() => staff.id),
  updatedBy: idColumn().references(() => staff.id),
  version: version(),
});
