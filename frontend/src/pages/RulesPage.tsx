import { PageHeader } from '../components/PageHeader';
import { WorkspaceEmptyState } from '../components/WorkspaceEmptyState';
import { workspaces } from '../layout/workspaces';

const workspace = workspaces.rules;

export function RulesPage() {
  return (
    <>
      <PageHeader title={workspace.label} description={workspace.description} />
      <WorkspaceEmptyState
        icon={workspace.icon}
        title="No rules yet"
        description="Rules written by analysts appear here with their state (draft, shadow, live or disabled) and version history."
      />
    </>
  );
}
