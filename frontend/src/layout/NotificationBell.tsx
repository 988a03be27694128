import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Center,
  Divider,
  Group,
  Indicator,
  Loader,
  Popover,
  ScrollArea,
  SegmentedControl,
  Stack,
  Text,
  ThemeIcon,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { IconAlarm, IconBell, IconBellOff, IconChecks, IconInfoCircle, IconUrgent } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useMe } from '../api/auth';
import { notifyFailure } from '../api/notify';
import {
  NOTIFICATION_LIMIT,
  useMarkNotificationsRead,
  useNotifications,
  type Notification,
  type NotificationFilter,
} from '../api/notifications';
import { formatRelative } from '../format/relative';
import { formatCompactDateTime } from '../format/time';
import { useLiveStatus } from '../live/LiveUpdates';
import { useNow } from '../status/useNow';

const kinds: Record<string, { icon: typeof IconBell; color: string; label: string }> = {
  'emergency.declared': { icon: IconUrgent, color: 'red', label: 'Emergency' },
  'sla.breached': { icon: IconAlarm, color: 'orange', label: 'SLA breached' },
};
const otherKind = { icon: IconInfoCircle, color: 'blue', label: 'Notice' };

/** "9+" beyond nine: the badge stays small. */
export function unreadBadge(count: number): string {
  return count > 9 ? '9+' : String(count);
}

function NotificationItem({ notification, now, onOpen }: { notification: Notification; now: Date; onOpen: (n: Notification) => void }) {
  const kind = kinds[notification.kind] ?? otherKind;
  const unread = notification.read_at === null;
  const Icon = kind.icon;
  return (
    <UnstyledButton
      onClick={() => onOpen(notification)}
      data-notification-id={notification.id}
      data-unread={unread}
      px="sm"
      py={10}
      w="100%"
      style={{ borderRadius: 6, background: unread ? 'var(--mantine-color-indigo-0)' : undefined }}
      aria-label={`${unread ? 'Unread: ' : ''}${notification.title}`}
    >
      <Group gap="sm" align="flex-start" wrap="nowrap">
        <ThemeIcon variant="light" color={kind.color} size={30} radius="xl" aria-hidden>
          <Icon size={17} />
        </ThemeIcon>
        <Box style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6} wrap="nowrap" justify="space-between" align="baseline">
            <Text size="sm" fw={unread ? 600 : 500} lh={1.35} style={{ minWidth: 0 }}>
              {notification.title}
            </Text>
            {unread && (
              <Box
                aria-hidden
                style={{ flex: 'none', width: 8, height: 8, borderRadius: 4, background: 'var(--mantine-color-indigo-6)' }}
              />
            )}
          </Group>
          {notification.body && (
            <Text size="xs" c="dimmed" lineClamp={2} mt={2}>
              {notification.body}
            </Text>
          )}
          <Text size="xs" c="dimmed" mt={4}>
            <Tooltip label={formatCompactDateTime(notification.created_at)} openDelay={400}>
              <time dateTime={notification.created_at}>{formatRelative(notification.created_at, now)}</time>
            </Tooltip>
            {' · '}
            {notification.market}
            {notification.case_id != null && <> · case #{notification.case_id}</>}
          </Text>
        </Box>
      </Group>
    </UnstyledButton>
  );
}

/**
 * The header's bell: how many notifications are unread, and a popover with the
 * newest ones (leads hear about emergencies and SLA breaches in their markets).
 * Opening one marks it read and goes to its case. The stream's `notification`
 * events refresh it; while the stream is down it asks every 30 s.
 */
export function NotificationBell() {
  const me = useMe();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const [filter, setFilter] = useState<NotificationFilter>('unread');
  const person = me.actor_type === 'user';
  const live = useLiveStatus() === 'live';
  const unreadList = useNotifications('unread', { enabled: person, live });
  const allList = useNotifications('all', { enabled: person && opened && filter === 'all', live });
  const markRead = useMarkNotificationsRead();
  const now = useNow(60_000);

  if (!person) return null;

  const unread = unreadList.data?.unread ?? 0;
  const shown = filter === 'unread' ? unreadList : allList;
  const items = shown.data?.items ?? [];

  const open = (notification: Notification) => {
    if (notification.read_at === null) {
      markRead.mutate({ ids: [notification.id] }, { onError: (error) => notifyFailure('Could not mark the notification read', error) });
    }
    if (notification.case_id != null) {
      setOpened(false);
      void navigate({ to: '/cases/$id', params: { id: String(notification.case_id) } });
    }
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={380} shadow="md" withinPortal trapFocus>
      <Popover.Target>
        <Indicator
          label={unreadBadge(unread)}
          size={16}
          offset={5}
          color="red"
          disabled={unread === 0}
          data-testid="notification-count"
          data-count={unread}
          styles={{ indicator: { fontSize: 10, fontWeight: 700 } }}
        >
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            radius="md"
            onClick={() => setOpened((value) => !value)}
            aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
            aria-haspopup="dialog"
            aria-expanded={opened}
            data-testid="notification-bell"
          >
            <IconBell size={20} stroke={1.7} aria-hidden />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p={0} aria-label="Notifications" role="dialog" data-testid="notification-popover">
        <Group justify="space-between" px="sm" pt="sm" pb={8} gap="xs">
          <Group gap={6}>
            <Text fw={600} size="sm">
              Notifications
            </Text>
            {unread > 0 && (
              <Badge size="sm" variant="light" color="red" radius="sm">
                {unread} unread
              </Badge>
            )}
          </Group>
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconChecks size={14} aria-hidden />}
            disabled={unread === 0}
            loading={markRead.isPending && markRead.variables && 'all' in markRead.variables}
            onClick={() => markRead.mutate({ all: true }, { onError: (error) => notifyFailure('Could not mark notifications read', error) })}
          >
            Mark all read
          </Button>
        </Group>
        <Box px="sm" pb={8}>
          <SegmentedControl
            size="xs"
            fullWidth
            aria-label="Show notifications"
            value={filter}
            onChange={(value) => setFilter(value === 'all' ? 'all' : 'unread')}
            data={[
              { value: 'unread', label: 'Unread' },
              { value: 'all', label: 'All recent' },
            ]}
          />
        </Box>
        <Divider />
        <ScrollArea.Autosize mah={420} type="auto">
          {shown.isPending ? (
            <Center py="lg">
              <Loader size="xs" />
            </Center>
          ) : shown.error ? (
            <Text size="sm" c="red" p="sm">
              Notifications could not be loaded. {shown.error.title}.
            </Text>
          ) : items.length === 0 ? (
            <Stack align="center" gap={4} py="lg" px="md" data-testid="notifications-empty">
              <IconBellOff size={22} stroke={1.5} color="var(--mantine-color-gray-5)" aria-hidden />
              <Text size="sm" c="dimmed" ta="center">
                {filter === 'unread' ? 'You are all caught up.' : 'No notifications yet.'}
              </Text>
              <Text size="xs" c="dimmed" ta="center">
                Leads are told here about emergencies and SLA breaches in their markets.
              </Text>
            </Stack>
          ) : (
            <Stack gap={2} p={6} data-testid="notification-list">
              {items.map((notification) => (
                <NotificationItem key={notification.id} notification={notification} now={now} onOpen={open} />
              ))}
            </Stack>
          )}
        </ScrollArea.Autosize>
        {shown.data?.next_cursor && (
          <>
            <Divider />
            <Text size="xs" c="dimmed" ta="center" py={6}>
              The {NOTIFICATION_LIMIT} most recent are shown.
            </Text>
          </>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
