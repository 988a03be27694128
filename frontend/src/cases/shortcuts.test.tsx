import { fireEvent, render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createShortcutHandler, isTypingTarget, useShortcuts } from './shortcuts';

function keydown(target: EventTarget, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  Object.defineProperty(event, 'target', { value: target });
  return event;
}

function element(html: string): HTMLElement {
  const host = document.createElement('div');
  host.innerHTML = html;
  document.body.append(host);
  return host.querySelector('[data-target]') ?? host.firstElementChild as HTMLElement;
}

describe('isTypingTarget', () => {
  it.each([
    ['a text input', '<input data-target type="text">'],
    ['a search input', '<input data-target type="search">'],
    ['an input without a type', '<input data-target>'],
    ['a textarea', '<textarea data-target></textarea>'],
    ['a select', '<select data-target></select>'],
    ['an editable element', '<div data-target contenteditable="true"></div>'],
    ['inside an editable element', '<div contenteditable="true"><b data-target>x</b></div>'],
    ['a combobox', '<div data-target role="combobox"></div>'],
    ['anything inside a dialog', '<div role="dialog"><button data-target>OK</button></div>'],
  ])('is true for %s', (_, html) => {
    expect(isTypingTarget(element(html))).toBe(true);
  });

  it.each([
    ['the page body', '<main data-target></main>'],
    ['a table row', '<table><tbody><tr data-target><td>1</td></tr></tbody></table>'],
    ['a row checkbox', '<input data-target type="checkbox">'],
    ['a button', '<button data-target>Claim</button>'],
  ])('is false for %s', (_, html) => {
    expect(isTypingTarget(element(html))).toBe(false);
  });
});

describe('createShortcutHandler', () => {
  it('runs the key’s binding on the page, and ignores it while typing in a field', () => {
    const j = vi.fn();
    const handle = createShortcutHandler({ j });
    const page = element('<main data-target></main>');
    const input = element('<input data-target>');
    const textarea = element('<textarea data-target></textarea>');

    expect(handle(keydown(page, 'j'))).toBe(true);
    expect(j).toHaveBeenCalledTimes(1);
    expect(handle(keydown(input, 'j'))).toBe(false);
    expect(handle(keydown(textarea, 'j'))).toBe(false);
    expect(j).toHaveBeenCalledTimes(1);
  });

  it('leaves Ctrl/Cmd/Alt combinations, unbound keys and composition alone, but allows Shift (for ?)', () => {
    const help = vi.fn();
    const c = vi.fn();
    const handle = createShortcutHandler({ '?': help, c });
    const page = element('<main data-target></main>');

    expect(handle(keydown(page, 'c', { ctrlKey: true }))).toBe(false);
    expect(handle(keydown(page, 'c', { metaKey: true }))).toBe(false);
    expect(handle(keydown(page, 'c', { altKey: true }))).toBe(false);
    expect(handle(keydown(page, 'c', { isComposing: true }))).toBe(false);
    expect(handle(keydown(page, 'z'))).toBe(false);
    expect(c).not.toHaveBeenCalled();
    expect(handle(keydown(page, '?', { shiftKey: true }))).toBe(true);
    expect(help).toHaveBeenCalledTimes(1);
  });

  it('lets Enter press a focused button or follow a focused link instead of opening a case', () => {
    const open = vi.fn();
    const handle = createShortcutHandler({ Enter: open });
    expect(handle(keydown(element('<button data-target>Load more</button>'), 'Enter'))).toBe(false);
    expect(handle(keydown(element('<a data-target href="/cases/1">#1</a>'), 'Enter'))).toBe(false);
    expect(handle(keydown(element('<main data-target></main>'), 'Enter'))).toBe(true);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('prevents the browser default only for a shortcut it ran', () => {
    const handle = createShortcutHandler({ '/': () => {} });
    const page = element('<main data-target></main>');
    const slash = keydown(page, '/');
    handle(slash);
    expect(slash.defaultPrevented).toBe(true);
    const other = keydown(page, 'q');
    handle(other);
    expect(other.defaultPrevented).toBe(false);
  });
});

describe('useShortcuts', () => {
  function Page({ onJ, enabled = true }: { onJ: () => void; enabled?: boolean }) {
    useShortcuts({ j: onJ }, enabled);
    return (
      <div>
        <input aria-label="Search" />
        <p>rows</p>
      </div>
    );
  }

  it('listens on the document, not while typing, and not when disabled', () => {
    const onJ = vi.fn();
    const view = render(<Page onJ={onJ} />);
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(onJ).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(view.getByLabelText('Search'), { key: 'j' });
    expect(onJ).toHaveBeenCalledTimes(1);
    view.rerender(<Page onJ={onJ} enabled={false} />);
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(onJ).toHaveBeenCalledTimes(1);
  });
});
