import { Group } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { RouterAnchor } from '../routing/links';

export function BackToRules() {
  return (
    <RouterAnchor to="/rules" size="sm" c="dimmed">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden /> Rules
      </Group>
    </RouterAnchor>
  );
}
