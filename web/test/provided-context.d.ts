// The server's global setup (../server/test/global-setup.ts) provides this; declared here too because that file is
// outside this project's type check.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    dbServerUrl: string;
  }
}
