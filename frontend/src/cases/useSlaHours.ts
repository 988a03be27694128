import { useMemo } from 'react';
import { usePolicies, type CaseSummary } from '../api/cases';

/** The SLA's length in hours for a case (its policy's, for its severity), for at-risk colouring in lists. */
export function useSlaHoursOf(): (c: CaseSummary) => number | undefined {
  const policies = usePolicies();
  return useMemo(() => {
    const byCode = new Map((policies.data ?? []).map((policy) => [policy.code, policy.sla_hours]));
    return (c: CaseSummary) => byCode.get(c.policy)?.[c.severity];
  }, [policies.data]);
}
