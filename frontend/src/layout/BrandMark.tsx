import { Group, Text } from '@mantine/core';

/** The product mark: a folded docket sheet and the name. */
export function BrandMark() {
  return (
    <Group gap={8} wrap="nowrap" aria-label="Docket">
      <svg width="24" height="24" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="7" fill="var(--mantine-color-indigo-7)" />
        <path d="M10 8h7.5a7.5 7.5 0 0 1 0 15H10z" fill="none" stroke="#fff" strokeWidth="3" />
        <path d="M10 26h12" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
      </svg>
      <Text component="span" fw={700} fz="lg" lh={1} style={{ letterSpacing: '-0.01em' }}>
        Docket
      </Text>
    </Group>
  );
}
