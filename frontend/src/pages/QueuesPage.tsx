import { PageHeader } from '../components/PageHeader';
import { WorkspaceEmptyState } from '../components/WorkspaceEmptyState';
import { workspaces } from '../layout/workspaces';

const workspace = workspaces.queues;

export function QueuesPage() {
  return (
    <>
      <PageHeader title={workspace.label} description={workspace.description} />
      <WorkspaceEmptyState
        icon={workspace.icon}
        title="No queues yet"
        description="Queues appear here once cases are routed to them, with their open cases, SLA risk and who is working them."
      />
    </>
  );
}
