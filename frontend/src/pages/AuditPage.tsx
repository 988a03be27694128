import { PageHeader } from '../components/PageHeader';
import { WorkspaceEmptyState } from '../components/WorkspaceEmptyState';
import { workspaces } from '../layout/workspaces';

const workspace = workspaces.audit;

export function AuditPage() {
  return (
    <>
      <PageHeader title={workspace.label} description={workspace.description} />
      <WorkspaceEmptyState
        icon={workspace.icon}
        title="No audit entries to show"
        description="Every decision, assignment and configuration change is recorded here as it happens, each entry chained to the one before it."
      />
    </>
  );
}
