import { Group, SegmentedControl, Text, Tooltip } from '@mantine/core';
import { useMe } from '../api/auth';
import { notifyFailure } from '../api/notify';
import { useSetAvailability } from '../api/queues';

/**
 * Available / Unavailable: whether the person is taking work. Leads see it when they assign cases; it does not stop
 * anyone from claiming.
 */
export function AvailabilityToggle() {
  const me = useMe();
  const setAvailability = useSetAvailability();
  // The server's default for a new user is available.
  const saved = me.user?.available ?? true;
  const shown = setAvailability.isPending ? setAvailability.variables : saved;
  return (
    <Tooltip label="Leads see this when they assign cases" openDelay={400} withArrow>
      <Group gap="xs" wrap="nowrap" data-testid="availability" data-available={String(saved)}>
        <Text size="sm" c="dimmed" component="span" id="availability-label">
          You are
        </Text>
        <SegmentedControl
          size="xs"
          aria-labelledby="availability-label"
          color={shown ? 'teal' : 'gray'}
          value={shown ? 'available' : 'unavailable'}
          disabled={setAvailability.isPending}
          onChange={(value) =>
            setAvailability.mutate(value === 'available', {
              onError: (error) => notifyFailure('Could not change your availability', error),
            })
          }
          data={[
            { value: 'available', label: 'Available' },
            { value: 'unavailable', label: 'Unavailable' },
          ]}
        />
      </Group>
    </Tooltip>
  );
}
