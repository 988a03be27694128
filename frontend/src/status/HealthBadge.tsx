import { Badge, Loader } from '@mantine/core';
import { healthLabels, type ApiHealth } from './health';

const colors: Record<ApiHealth, string> = {
  checking: 'gray',
  healthy: 'teal',
  degraded: 'yellow',
  unreachable: 'red',
};

/** The status page's verdict, readable at a glance and by tests. */
export function HealthBadge({ health }: { health: ApiHealth }) {
  return (
    <Badge
      data-testid="api-health"
      data-health={health}
      color={colors[health]}
      variant="light"
      size="lg"
      radius="sm"
      leftSection={health === 'checking' ? <Loader size={10} color="gray" /> : <Dot />}
      role="status"
    >
      {healthLabels[health]}
    </Badge>
  );
}

function Dot() {
  return (
    <span
      aria-hidden
      style={{ display: 'inline-block', width: 8, height: 8, borderRadius: '50%', background: 'currentColor' }}
    />
  );
}
