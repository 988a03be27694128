import { ActionIcon, Table } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';

/** The first cell of an expandable table row: a chevron that shows or hides the row's details. */
export function ExpandCell({
  open,
  onToggle,
  controls,
  label,
}: {
  open: boolean;
  onToggle: () => void;
  /** The id of the details row it shows and hides. */
  controls: string;
  /** What it shows, e.g. "payload of delivery 4" (prefixed with Show / Hide). */
  label: string;
}) {
  return (
    <Table.Td w={36} pr={0}>
      <ActionIcon
        variant="subtle"
        color="gray"
        size="sm"
        onClick={onToggle}
        aria-expanded={open}
        aria-controls={controls}
        aria-label={`${open ? 'Hide' : 'Show'} ${label}`}
      >
        {open ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
      </ActionIcon>
    </Table.Td>
  );
}
