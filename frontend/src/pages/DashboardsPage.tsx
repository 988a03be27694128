import { PageHeader } from '../components/PageHeader';
import { WorkspaceEmptyState } from '../components/WorkspaceEmptyState';
import { workspaces } from '../layout/workspaces';

const workspace = workspaces.dashboards;

export function DashboardsPage() {
  return (
    <>
      <PageHeader title={workspace.label} description={workspace.description} />
      <WorkspaceEmptyState
        icon={workspace.icon}
        title="No dashboard data yet"
        description="Charts fill in once cases are being created and decided in your markets."
      />
    </>
  );
}
