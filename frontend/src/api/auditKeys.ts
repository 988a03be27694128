/** Query keys of the audit log, shared so every mutation can refresh it. */
export const auditKeys = {
  all: ['audit'] as const,
  verify: ['audit', 'verify'] as const,
};
