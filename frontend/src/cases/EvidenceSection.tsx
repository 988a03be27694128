import {
  Anchor,
  Blockquote,
  Button,
  Code,
  Collapse,
  FileInput,
  Group,
  JsonInput,
  Paper,
  Progress,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconBraces,
  IconDownload,
  IconExternalLink,
  IconFile,
  IconFileText,
  IconLink,
  IconPaperclip,
  IconPhoto,
  IconPlus,
} from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useAddEvidence, type CaseDetail, type Evidence } from '../api/cases';
import { splitFieldErrors } from '../api/fieldErrors';
import { notifySuccess } from '../api/notify';
import { EVIDENCE_FILE_TYPES, MAX_EVIDENCE_BYTES } from '../api/upload';
import { sentence } from '../format/text';
import { RelativeTime } from './badges';
import { formatBytes } from './labels';

type Kind = 'text' | 'url' | 'json' | 'file';

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function EvidenceIcon({ e }: { e: Evidence }) {
  const props = { size: 18, stroke: 1.6, color: 'var(--mantine-color-gray-6)', 'aria-hidden': true } as const;
  if (e.kind === 'url') return <IconLink {...props} />;
  if (e.kind === 'json') return <IconBraces {...props} />;
  if (e.kind === 'text') return <IconFileText {...props} />;
  if (e.content_type?.startsWith('image/')) return <IconPhoto {...props} />;
  return <IconFile {...props} />;
}

/** One piece of evidence, previewed by kind: images inline, links by host, JSON pretty, text quoted, other files as downloads. */
function EvidenceItem({ e, now }: { e: Evidence; now: Date }) {
  const isImage = e.kind === 'file' && Boolean(e.content_type?.startsWith('image/')) && Boolean(e.download_url);
  return (
    <Stack gap={6} data-testid="evidence-item" data-kind={e.kind} py="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Group gap={8} wrap="nowrap" miw={0}>
          <EvidenceIcon e={e} />
          <Text size="sm" fw={600} truncate="end">
            {e.title}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {e.added_by} · <RelativeTime value={e.created_at} now={now} size="xs" />
        </Text>
      </Group>

      {e.kind === 'url' && (
        <Group gap={6} wrap="nowrap">
          <Anchor href={e.body} target="_blank" rel="noopener noreferrer nofollow" size="sm" style={{ wordBreak: 'break-all' }}>
            {e.body}
          </Anchor>
          <Tooltip label={`Opens ${hostOf(e.body)} in a new tab`}>
            <IconExternalLink size={14} aria-hidden color="var(--mantine-color-gray-6)" />
          </Tooltip>
        </Group>
      )}
      {e.kind === 'text' && (
        <Blockquote p="xs" pl="md" color="gray" fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {e.body}
        </Blockquote>
      )}
      {e.kind === 'json' && (
        <Code block fz="xs" style={{ maxHeight: 280, overflow: 'auto' }}>
          {e.body}
        </Code>
      )}
      {isImage && (
        <Anchor href={e.download_url ?? undefined} aria-label={`Download ${e.file_name ?? e.title}`}>
          <img
            src={e.download_url ?? undefined}
            alt={e.title}
            loading="lazy"
            style={{
              display: 'block',
              maxWidth: '100%',
              maxHeight: 320,
              borderRadius: 'var(--mantine-radius-sm)',
              border: '1px solid var(--mantine-color-gray-3)',
              background: 'var(--mantine-color-gray-0)',
            }}
          />
        </Anchor>
      )}
      {e.kind === 'file' && (
        <Group gap="xs">
          {e.download_url && (
            <Anchor href={e.download_url} size="sm" download={e.file_name}>
              <Group gap={4} wrap="nowrap">
                <IconDownload size={14} aria-hidden />
                {e.file_name ?? 'Download'}
              </Group>
            </Anchor>
          )}
          <Text size="xs" c="dimmed">
            {e.content_type ?? 'unknown type'}
            {e.size_bytes !== undefined && ` · ${formatBytes(e.size_bytes)}`}
          </Text>
          {e.sha256 && (
            <Tooltip label={`SHA-256 ${e.sha256}`} openDelay={200}>
              <Text size="xs" c="dimmed" ff="monospace">
                sha256 {e.sha256.slice(0, 12)}…
              </Text>
            </Tooltip>
          )}
        </Group>
      )}
    </Stack>
  );
}

/** Text, a URL, a JSON snapshot, or a file (up to 10 MB, with upload progress). */
function AddEvidenceForm({ caseId, onDone }: { caseId: number; onDone: () => void }) {
  const add = useAddEvidence(caseId);
  const [kind, setKind] = useState<Kind>('text');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [url, setUrl] = useState('');
  const [json, setJson] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});

  const server = splitFieldErrors(add.error, ['title', 'text', 'url', 'json', 'file', 'kind']);
  const genericError = add.error && add.error.errors.length === 0 ? add.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const trimmedTitle = title.trim();
    if (kind !== 'file' && !trimmedTitle) found.title = 'Give it a title';
    if (trimmedTitle.length > 200) found.title = 'At most 200 characters';
    let parsed: unknown;
    if (kind === 'text' && !text.trim()) found.text = 'Paste or type the text';
    if (kind === 'url' && !/^https?:\/\/\S+$/i.test(url.trim())) found.url = 'An absolute http(s) URL';
    if (kind === 'json') {
      try {
        parsed = JSON.parse(json);
      } catch {
        found.json = 'Not valid JSON';
      }
    }
    if (kind === 'file') {
      if (!file) found.file = 'Choose a file';
      else if (file.size > MAX_EVIDENCE_BYTES) found.file = `This file is ${formatBytes(file.size)}; the limit is 10 MB`;
      else if (file.size === 0) found.file = 'This file is empty';
    }
    setProblems(found);
    if (Object.keys(found).length > 0) return;

    const done = (evidence: Evidence) => {
      notifySuccess(`“${evidence.title}” is on the case.`, 'Evidence added');
      setTitle('');
      setText('');
      setUrl('');
      setJson('');
      setFile(null);
      setProgress(null);
      onDone();
    };
    if (kind === 'file' && file) {
      setProgress(0);
      add.mutate(
        { kind: 'file', file, title: trimmedTitle, onProgress: setProgress },
        { onSuccess: done, onError: () => setProgress(null) },
      );
    } else if (kind === 'json') {
      add.mutate({ kind: 'json', request: { kind: 'json', title: trimmedTitle, json: parsed } }, { onSuccess: done });
    } else if (kind === 'url') {
      add.mutate({ kind: 'url', request: { kind: 'url', title: trimmedTitle, url: url.trim() } }, { onSuccess: done });
    } else {
      add.mutate({ kind: 'text', request: { kind: 'text', title: trimmedTitle, text } }, { onSuccess: done });
    }
  };

  const fileProblem =
    add.error?.code === 'file_too_large'
      ? 'The server accepts files of at most 10 MB'
      : add.error?.code === 'file_type_not_allowed'
        ? `${sentence(add.error.detail ?? 'This type of file is not accepted')} Accepted: images (PNG, JPEG, GIF, WebP), PDF, text, CSV, JSON, MP4, WebM, ZIP.`
        : undefined;

  return (
    <Paper withBorder radius="sm" p="sm" bg="gray.0" component="form" onSubmit={submit} noValidate aria-label="Add evidence">
      <Stack gap="sm">
        <SegmentedControl
          size="xs"
          value={kind}
          onChange={(value) => {
            setKind(value);
            setProblems({});
            add.reset();
          }}
          data={[
            { value: 'text', label: 'Text' },
            { value: 'url', label: 'URL' },
            { value: 'json', label: 'JSON' },
            { value: 'file', label: 'File' },
          ]}
          aria-label="Evidence kind"
        />
        <TextInput
          label="Title"
          description={kind === 'file' ? 'Optional: the file name otherwise' : undefined}
          placeholder={kind === 'url' ? 'e.g. Listing page as reported' : 'e.g. Buyer report #8812'}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          error={problems.title ?? server.byField.title}
          required={kind !== 'file'}
          size="sm"
        />
        {kind === 'text' && (
          <Textarea
            label="Text"
            autosize
            minRows={3}
            maxRows={10}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            error={problems.text ?? server.byField.text}
            required
          />
        )}
        {kind === 'url' && (
          <TextInput
            label="URL"
            type="url"
            placeholder="https://…"
            value={url}
            onChange={(event) => setUrl(event.currentTarget.value)}
            error={problems.url ?? server.byField.url}
            required
          />
        )}
        {kind === 'json' && (
          <JsonInput
            label="JSON"
            description="A snapshot, e.g. an order or a listing as the API returned it; stored pretty-printed"
            autosize
            minRows={4}
            maxRows={14}
            value={json}
            onChange={setJson}
            error={problems.json ?? server.byField.json}
            required
          />
        )}
        {kind === 'file' && (
          <FileInput
            label="File"
            description="Up to 10 MB: images, PDF, text, CSV, JSON, MP4, WebM or ZIP"
            placeholder="Choose a file"
            leftSection={<IconPaperclip size={16} aria-hidden />}
            accept={EVIDENCE_FILE_TYPES.join(',')}
            value={file}
            onChange={setFile}
            clearable
            error={problems.file ?? server.byField.file ?? fileProblem}
            required
          />
        )}
        {progress !== null && (
          <Stack gap={4}>
            <Progress value={Math.round(progress * 100)} size="sm" animated={progress < 1} aria-label="Upload progress" />
            <Text size="xs" c="dimmed">
              {progress < 1 ? `Uploading… ${Math.round(progress * 100)} %` : 'Checking the file…'}
            </Text>
          </Stack>
        )}
        {genericError && !fileProblem && (
          <Text size="sm" c="red" role="alert">
            {genericError.detail ? sentence(genericError.detail) : genericError.title}
          </Text>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={onDone} disabled={add.isPending}>
            Cancel
          </Button>
          <Button type="submit" size="xs" loading={add.isPending}>
            {kind === 'file' ? 'Upload' : 'Add evidence'}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** The case's evidence, oldest first, and (for holders of case.evidence) a form to add more. */
export function EvidenceSection({ c, now, canAdd }: { c: CaseDetail; now: Date; canAdd: boolean }) {
  const [adding, setAdding] = useState(false);
  return (
    <Paper withBorder radius="md" p="md" data-testid="evidence-section">
      <Group justify="space-between" mb="xs">
        <Title order={2} fz="md">
          Evidence{' '}
          <Text span c="dimmed" fw={400}>
            {c.evidence.length > 0 && c.evidence.length}
          </Text>
        </Title>
        {canAdd && !adding && (
          <Button size="xs" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setAdding(true)}>
            Add evidence
          </Button>
        )}
      </Group>
      <Collapse expanded={adding}>{adding && <AddEvidenceForm caseId={c.id} onDone={() => setAdding(false)} />}</Collapse>
      {c.evidence.length === 0 ? (
        !adding && (
          <Text size="sm" c="dimmed">
            No evidence yet. Screenshots, listing links, order snapshots and buyer reports belong here.
          </Text>
        )
      ) : (
        <Stack gap={0} mt={adding ? 'sm' : 0}>
          {c.evidence.map((e) => (
            <EvidenceItem key={e.id} e={e} now={now} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}
