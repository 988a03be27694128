import { EmptyState, Paper } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';

interface WorkspaceEmptyStateProps {
  icon: Icon;
  title: string;
  description: string;
  children?: React.ReactNode;
}

/** What a workspace shows while it has nothing in it: what will appear, and when. */
export function WorkspaceEmptyState({ icon: Icon, title, description, children }: WorkspaceEmptyStateProps) {
  return (
    <Paper withBorder radius="md" py={56} px="lg">
      <EmptyState
        icon={<Icon size={28} stroke={1.5} aria-hidden />}
        withIndicatorBackground
        title={title}
        description={description}
      >
        {children}
      </EmptyState>
    </Paper>
  );
}
