import { Checkbox, MultiSelect, Stack } from '@mantine/core';
import { marketOptions, type Market } from '../api/system';

/**
 * Some markets, or all of them (including markets added later): the scope
 * of a token or a webhook endpoint.
 */
export function MarketScopeField({
  markets,
  description,
  allLabel,
  allMarkets,
  onAllMarkets,
  chosen,
  onChosen,
  error,
}: {
  markets: readonly Market[] | undefined;
  description: string;
  allLabel: string;
  allMarkets: boolean;
  onAllMarkets: (all: boolean) => void;
  chosen: string[];
  onChosen: (markets: string[]) => void;
  error?: string;
}) {
  return (
    <Stack gap={6}>
      <MultiSelect
        label="Markets"
        description={description}
        placeholder={allMarkets ? 'All markets' : chosen.length ? undefined : 'Pick markets'}
        data={marketOptions(markets, false)}
        value={allMarkets ? [] : chosen}
        onChange={onChosen}
        disabled={allMarkets}
        searchable
        error={error}
        comboboxProps={{ withinPortal: true }}
      />
      <Checkbox label={allLabel} checked={allMarkets} onChange={(event) => onAllMarkets(event.currentTarget.checked)} />
    </Stack>
  );
}
