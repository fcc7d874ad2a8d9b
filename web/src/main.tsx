import { lazy, StrictMode, Suspense, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider, type CSSVariablesResolver } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import '@mantine/notifications/styles.css';
import { App } from './app/App';
import { whenIdle } from './app/idle';
import { meQuery } from './app/session';
import { theme } from './app/theme';
import { queryClient } from './trpc';
import './styles.css';

/** Secondary and error text at AA contrast: Mantine's dimmed grey (gray-6) is 3.3:1 on white, its error red (red-6) 3.6:1. */
const cssVariables: CSSVariablesResolver = (theme) => ({
  variables: {},
  light: { '--mantine-color-dimmed': theme.colors.gray[7]!, '--mantine-color-error': theme.colors.red[9]! },
  dark: {},
});

/**
 * The toasts' container, loaded after the first screen (decision 023: the first download stays under 200 kB). A toast
 * shown before it arrives waits in Mantine's notification store and appears when it mounts. Bottom right: at the top
 * they covered the top bar's account button and the page's own actions under it (Add drug, Receive stock, Dispense).
 */
const Notifications = lazy(() => import('@mantine/notifications').then((m) => ({ default: m.Notifications })));

/** Mounted once the first screen is up (idle.ts): fetched while a page opens, its code took the main thread from it. */
function LazyNotifications() {
  const [wanted, setWanted] = useState(false);
  useEffect(() => whenIdle(() => setWanted(true)), []);
  return wanted ? (
    <Suspense fallback={null}>
      <Notifications position="bottom-right" limit={4} />
    </Suspense>
  ) : null;
}

// Who is signed in is asked before React first renders the page, not after (issue 13's browser benchmark).
void queryClient.prefetchQuery(meQuery());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariables}>
      <LazyNotifications />
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
