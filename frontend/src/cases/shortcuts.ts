import { useEffect, useRef } from 'react';

/**
 * Single-key shortcuts for the reviewer's hot path. A key press is a shortcut
 * only when nobody is typing: not in an input, textarea, select, editable
 * element or combobox, not inside an open dialog, and without Ctrl/Cmd/Alt
 * (so browser and system shortcuts keep working).
 */

export interface Shortcut {
  keys: string[];
  description: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

/** Everything the help dialog (`?`) lists. */
export const shortcutGroups: ShortcutGroup[] = [
  {
    title: 'My queues',
    shortcuts: [
      { keys: ['n'], description: 'Claim the next case from the selected queue' },
      { keys: ['j'], description: 'Select the next queue' },
      { keys: ['k'], description: 'Select the previous queue' },
    ],
  },
  {
    title: 'Case list',
    shortcuts: [
      { keys: ['j'], description: 'Next case' },
      { keys: ['k'], description: 'Previous case' },
      { keys: ['Enter', 'o'], description: 'Open the highlighted case' },
      { keys: ['x'], description: 'Select or unselect the highlighted case (bulk actions)' },
      { keys: ['/'], description: 'Search' },
    ],
  },
  {
    title: 'Case page',
    shortcuts: [
      { keys: ['r'], description: 'Go to the decision form (resolve)' },
      { keys: ['e'], description: 'Escalate' },
      { keys: ['c'], description: 'Write a comment' },
      { keys: ['u'], description: 'Back to the case list' },
    ],
  },
  {
    title: 'Anywhere in queues and cases',
    shortcuts: [{ keys: ['?'], description: 'Show these shortcuts' }],
  },
];

/** Inputs nobody types letters into: a row checkbox keeps j/k working. */
const nonTextInputs = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'color', 'image']);

/** Where Enter already means something (press the button, follow the link). */
const enterTargets = 'a[href], button, input, select, textarea, summary, [role="button"], [role="link"], [role="checkbox"], [role="tab"]';

const typingRoles = new Set(['textbox', 'combobox', 'searchbox', 'spinbutton', 'listbox', 'option', 'menuitem', 'slider']);

/** True when a key press on `target` is someone typing (or working a control), never a shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  const tag = element.tagName;
  if (tag === 'INPUT') return !nonTextInputs.has((element as HTMLInputElement).type);
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (element.isContentEditable || element.closest('[contenteditable=""], [contenteditable="true"]')) return true;
  const role = element.getAttribute('role');
  if (role && typingRoles.has(role)) return true;
  // Inside a dialog (a reason prompt, the help itself), keys belong to the dialog.
  if (element.closest('[role="dialog"], [aria-modal="true"]')) return true;
  return false;
}

export type ShortcutMap = Record<string, (event: KeyboardEvent) => void>;

/**
 * A keydown listener that runs `bindings[event.key]` unless the person is
 * typing or holds a modifier. Shift is allowed, since `?` needs it.
 * Returns whether a shortcut ran.
 */
export function createShortcutHandler(bindings: ShortcutMap): (event: KeyboardEvent) => boolean {
  return (event) => {
    if (event.defaultPrevented || event.isComposing) return false;
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    if (isTypingTarget(event.target)) return false;
    if (event.key === 'Enter' && (event.target as Element | null)?.closest?.(enterTargets)) return false;
    const run = bindings[event.key];
    if (!run) return false;
    event.preventDefault();
    run(event);
    return true;
  };
}

/** Listens on the document while mounted (and `enabled`); the latest bindings always apply. */
export function useShortcuts(bindings: ShortcutMap, enabled = true): void {
  const latest = useRef(bindings);
  useEffect(() => {
    latest.current = bindings;
  });
  useEffect(() => {
    if (!enabled) return undefined;
    const listener = (event: KeyboardEvent) => {
      createShortcutHandler(latest.current)(event);
    };
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, [enabled]);
}
