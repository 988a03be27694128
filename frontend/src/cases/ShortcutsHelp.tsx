import { ActionIcon, Group, Kbd, Modal, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconKeyboard } from '@tabler/icons-react';
import { Fragment } from 'react';
import { shortcutGroups } from './shortcuts';

/** The `?` dialog: every keyboard shortcut of the queue and case workspaces. */
export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="md" centered>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Single keys, ignored while you type in a field.
        </Text>
        <Table verticalSpacing={6} horizontalSpacing="xs" data-testid="shortcuts-table">
          <Table.Tbody>
            {shortcutGroups.map((group) => (
              <Fragment key={group.title}>
                <Table.Tr>
                  <Table.Th colSpan={2} pt="sm">
                    <Text size="xs" fw={700} c="dimmed" tt="uppercase">
                      {group.title}
                    </Text>
                  </Table.Th>
                </Table.Tr>
                {group.shortcuts.map((shortcut) => (
                  <Table.Tr key={shortcut.description}>
                    <Table.Td w={110}>
                      <Group gap={4} wrap="nowrap">
                        {shortcut.keys.map((key, index) => (
                          <Fragment key={key}>
                            {index > 0 && (
                              <Text span size="xs" c="dimmed">
                                or
                              </Text>
                            )}
                            <Kbd size="sm">{key}</Kbd>
                          </Fragment>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{shortcut.description}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Modal>
  );
}

/** The header button that opens the shortcuts dialog (also `?`). */
export function ShortcutsButton({ onClick }: { onClick: () => void }) {
  return (
    <Tooltip label="Keyboard shortcuts (?)" openDelay={300}>
      <ActionIcon variant="default" size="lg" aria-label="Keyboard shortcuts" onClick={onClick}>
        <IconKeyboard size={18} aria-hidden />
      </ActionIcon>
    </Tooltip>
  );
}
