import { useQuery } from '@tanstack/react-query';
import { trpc } from '../../trpc';

export function usePatient(patientId: number) {
  return useQuery(trpc.patients.get.queryOptions({ id: patientId }, { staleTime: 60_000, enabled: patientId > 0 }));
}
