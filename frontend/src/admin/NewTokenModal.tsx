import { Button, Group, Modal, MultiSelect, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { splitFieldErrors } from '../api/fieldErrors';
import { useMarketList } from '../api/system';
import { MarketScopeField } from './MarketScopeField';
import { FormProblem } from '../components/FormProblem';
import { tokenScopes, useCreateToken, type CreatedToken } from '../api/tokens';

interface NewTokenModalProps {
  opened: boolean;
  onClose: () => void;
  /** Called with the created token and its secret, which the caller shows once. */
  onCreated: (created: CreatedToken) => void;
}

const pad = (n: number) => String(n).padStart(2, '0');
function localDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The end of a chosen day in the viewer's zone, as an RFC 3339 instant; null when none was chosen. */
export function expiryFromDate(day: string): string | null {
  if (!day) return null;
  const end = new Date(`${day}T23:59:59`);
  return Number.isNaN(end.getTime()) ? null : end.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "New token": a name, what it may do (scopes), where (markets), and optionally until when. */
export function NewTokenModal({ opened, onClose, onCreated }: NewTokenModalProps) {
  const createToken = useCreateToken();
  const markets = useMarketList();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [allMarkets, setAllMarkets] = useState(false);
  const [chosenMarkets, setChosenMarkets] = useState<string[]>([]);
  const [expiry, setExpiry] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});

  const close = () => {
    setName('');
    setScopes([]);
    setAllMarkets(false);
    setChosenMarkets([]);
    setExpiry('');
    setLocal({});
    createToken.reset();
    onClose();
  };

  const server = splitFieldErrors(createToken.error, ['name', 'scopes', 'markets', 'expires_at']);
  const errorFor = (field: string) => local[field] ?? server.byField[field];
  const today = localDate(new Date());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (name.trim() === '') problems.name = 'Name the token after the system that will use it';
    if (scopes.length === 0) problems.scopes = 'Pick at least one scope';
    if (!allMarkets && chosenMarkets.length === 0) problems.markets = 'Pick the markets, or all markets';
    if (expiry && expiry < today) problems.expires_at = 'Pick today or a later day';
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;

    createToken.mutate(
      {
        name: name.trim(),
        scopes,
        markets: allMarkets ? ['*'] : chosenMarkets,
        expires_at: expiryFromDate(expiry),
      },
      {
        onSuccess: (created) => {
          // No toast: the secret modal that follows says it all.
          close();
          onCreated(created);
        },
      },
    );
  };

  const genericError = createToken.error && createToken.error.errors.length === 0 ? createToken.error : null;

  return (
    <Modal opened={opened} onClose={close} title="New API token" size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput
            label="Name"
            description="Which system uses it, so people recognise it later (e.g. “Refund-spike detector”)."
            required
            data-autofocus
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errorFor('name')}
          />
          <MultiSelect
            label="Scopes"
            description="What the token may do. Grant only what the system needs."
            placeholder={scopes.length ? undefined : 'Pick scopes'}
            data={tokenScopes.map((scope) => ({ value: scope.value, label: `${scope.label} — ${scope.description}` }))}
            value={scopes}
            onChange={setScopes}
            required
            error={errorFor('scopes')}
            comboboxProps={{ withinPortal: true }}
          />
          <MarketScopeField
            markets={markets.data}
            description="Where it may act."
            allLabel="All markets (*), including markets added later"
            allMarkets={allMarkets}
            onAllMarkets={setAllMarkets}
            chosen={chosenMarkets}
            onChosen={setChosenMarkets}
            error={errorFor('markets')}
          />
          <TextInput
            type="date"
            label="Expires"
            description="Optional. The token stops working at the end of this day (your time). Leave empty for no expiry."
            min={today}
            value={expiry}
            onChange={(event) => setExpiry(event.currentTarget.value)}
            error={errorFor('expires_at')}
            w={260}
          />

          <FormProblem title={createToken.error?.title ?? 'Could not create the token'} detail={genericError?.detail} messages={server.other} />

          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={createToken.isPending}>
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
