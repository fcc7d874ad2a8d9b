/** Inputs every form shares: a typed date, and a dialog's cancel/submit row. */
import { forwardRef } from 'react';
import { Button, Group } from '@mantine/core';
import { DateInput, type DateInputProps } from '@mantine/dates';
import { parseTypedDate } from '../format';

interface DateFieldProps extends Omit<DateInputProps, 'value' | 'onChange'> {
  /** YYYY-MM-DD, or '' for none. */
  value: string;
  onChange: (value: string) => void;
}

/** The calendar's arrows, named for screen readers (Mantine leaves them unnamed; the headings name themselves). */
const CALENDAR_LABELS = {
  previousMonth: 'Previous month',
  nextMonth: 'Next month',
  previousYear: 'Previous year',
  nextYear: 'Next year',
  previousDecade: 'Previous decade',
  nextDecade: 'Next decade',
};

/**
 * A date typed day first (21/05/1988, 21.05.1988) or as 1988-05-21, or picked; shown as "21 May 1988". The calendar
 * shows only the month's own days and no red weekends: Mantine's faded and red day numbers are under 4.5:1 contrast.
 * It opens whenever the input is focused, so when the field is in error (and focused to show it) it opens beside the
 * input instead of below, where it would cover the message.
 */
export const DateField = forwardRef<HTMLInputElement, DateFieldProps>(({ value, onChange, ...props }, ref) => (
  <DateInput
    ref={ref}
    valueFormat="DD MMM YYYY"
    dateParser={parseTypedDate}
    ariaLabels={CALENDAR_LABELS}
    hideOutsideDates
    weekendDays={[]}
    popoverProps={{ position: props.error ? 'right-start' : 'bottom-start' }}
    {...props}
    value={value || null}
    onChange={(v) => onChange(v ?? '')}
  />
));

/** Cancel and the dialog's main action, right-aligned. */
export function DialogActions({ onCancel, submitLabel, pending }: { onCancel: () => void; submitLabel: string; pending: boolean }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={pending}>
        {submitLabel}
      </Button>
    </Group>
  );
}
