import { Code, Text } from '@mantine/core';
import { PageHeader } from '../components/PageHeader';
import { WorkspaceEmptyState } from '../components/WorkspaceEmptyState';
import { workspaces } from '../layout/workspaces';

const workspace = workspaces.admin;

export function AdminPage() {
  return (
    <>
      <PageHeader title={workspace.label} description={workspace.description} />
      <WorkspaceEmptyState
        icon={workspace.icon}
        title="Nothing to manage here yet"
        description="Users, role grants, policies and queues will be managed on this page."
      >
        <Text size="sm" c="dimmed" ta="center">
          Until then, users and API tokens are created on the server with the <Code>docket</Code> command line (see{' '}
          <Code>docket --help</Code>).
        </Text>
      </WorkspaceEmptyState>
    </>
  );
}
