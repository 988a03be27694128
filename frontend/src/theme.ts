import { createTheme } from '@mantine/core';

/** A calm, dense-enough theme for people who work in Docket all day. */
export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Thai", "Helvetica Neue", Arial, sans-serif',
  headings: {
    fontWeight: '600',
  },
  components: {
    Badge: {
      // Sentence case reads faster than the default capitals in dense tables.
      styles: { root: { textTransform: 'none' } },
    },
    Modal: {
      // Mantine's close button has no accessible name of its own.
      defaultProps: { closeButtonProps: { 'aria-label': 'Close' } },
    },
    TableScrollContainer: {
      // A plain overflow box: the ScrollArea variant reserves a scrollbar's height under every table.
      defaultProps: { type: 'native' },
    },
    Table: {
      defaultProps: {
        verticalSpacing: 'sm',
        horizontalSpacing: 'md',
      },
    },
  },
});
