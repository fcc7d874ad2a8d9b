/**
 * The open patients, as tabs in the top bar: click to go back to where that chart was left, × to close, Ctrl+1…9 for
 * the first nine (useShortcuts). Links, not ARIA tabs: each one is a page of its own, with its own address.
 */
import { CloseButton, Group, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useNavigate, useRouterState } from '@tanstack/react-router';
import { closePatient, currentPatientId, useOpenPatients, type OpenPatient } from './open-patients';
import classes from './PatientTabs.module.css';

export function PatientTabs() {
  const tabs = useOpenPatients();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const navigate = useNavigate();
  const current = currentPatientId(pathname);
  if (!tabs.length) return null;

  const close = (tab: OpenPatient) => {
    const next = closePatient(tab.id);
    // Closing the chart on screen shows the neighbouring one, or the patient list when it was the last.
    if (tab.id === current) void navigate({ to: next ? next.path : '/patients' });
  };

  return (
    <ScrollArea type="never" style={{ flex: 1, minWidth: 0 }}>
      <Group component="nav" aria-label="Open patients" gap={4} wrap="nowrap" h={44} align="end">
        {tabs.map((tab, i) => {
          const active = tab.id === current;
          return (
            <div key={tab.id} className={classes.tab} data-active={active || undefined}>
              <UnstyledButton
                component="a"
                href={tab.path}
                className={classes.link}
                aria-current={active ? 'page' : undefined}
                title={i < 9 ? `${tab.name} (Ctrl+${i + 1})` : tab.name}
                onClick={(e: React.MouseEvent) => {
                  if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; // a new browser tab, as for any link
                  e.preventDefault();
                  void navigate({ to: tab.path });
                }}
              >
                <Text span size="sm" fw={600} truncate="end" maw={170}>
                  {tab.name}
                </Text>
                <Text span size="xs" ff="monospace" className={classes.mrn}>
                  {tab.mrn}
                </Text>
              </UnstyledButton>
              <CloseButton size="sm" className={classes.close} aria-label={`Close ${tab.name}`} onClick={() => close(tab)} />
            </div>
          );
        })}
      </Group>
    </ScrollArea>
  );
}
