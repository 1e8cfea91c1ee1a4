import { forwardRef, useEffect, type RefObject } from "react";
import { useTranslation } from "react-i18next";

const TEXT_INPUTS_EXEMPT = new Set(["checkbox", "radio", "button", "submit", "reset"]);

/** True while the person is typing or choosing in a field: shortcuts must not steal those keys. */
function isTypingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !TEXT_INPUTS_EXEMPT.has(target.type);
  return false;
}

/** Focuses an item and shows it from its top (a long item would otherwise show its middle). */
export function focusQueueItem(item: HTMLElement | undefined | null) {
  if (!item) return;
  item.focus({ preventScroll: true });
  item.scrollIntoView({ block: "start" });
}

/**
 * The queue's keyboard shortcuts (JavaScript only; without it every action is a button):
 * j / k next / previous item, a approve, r the reason field, x select for bulk, ? the help.
 * Items are the elements marked data-queue-item inside `list`; their controls carry
 * data-shortcut="approve" | "reason" | "select".
 */
export function useQueueShortcuts(list: RefObject<HTMLElement | null>, help: RefObject<HTMLDetailsElement | null>, busy: RefObject<boolean>) {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      if (isTypingIn(event.target)) return;
      const items = [...(list.current?.querySelectorAll<HTMLElement>("[data-queue-item]") ?? [])];
      const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      const current = active?.closest<HTMLElement>("[data-queue-item]") ?? null;
      const index = current ? items.indexOf(current) : -1;
      const control = <T extends HTMLElement>(name: string) => current?.querySelector<T>(`[data-shortcut="${name}"]`) ?? null;
      switch (event.key) {
        case "j":
          focusQueueItem(items[Math.min(index + 1, items.length - 1)]);
          break;
        case "k":
          focusQueueItem(items[Math.max(index - 1, 0)]);
          break;
        case "a": {
          const button = control<HTMLButtonElement>("approve");
          if (!button || event.repeat || busy.current || button.disabled) return;
          button.form?.requestSubmit(button);
          break;
        }
        case "r": {
          const field = control<HTMLElement>("reason");
          if (!field) return;
          field.focus();
          break;
        }
        case "x": {
          const box = control<HTMLInputElement>("select");
          if (!box || event.repeat) return;
          box.click();
          break;
        }
        case "?": {
          const details = help.current;
          if (!details) return;
          details.open = !details.open;
          if (details.open) details.querySelector("summary")?.focus();
          break;
        }
        default:
          return;
      }
      event.preventDefault();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [list, help, busy]);
}

/** The list of shortcuts, always on the page; "?" opens it. */
export const QueueShortcutHelp = forwardRef<HTMLDetailsElement>(function QueueShortcutHelp(_props, ref) {
  const { t } = useTranslation();
  const keys = [
    ["j", "next"],
    ["k", "previous"],
    ["a", "approve"],
    ["r", "reason"],
    ["x", "select"],
    ["?", "help"],
  ] as const;
  return (
    <details className="queue-help" ref={ref}>
      <summary>{t("moderation.shortcuts.summary")}</summary>
      <p>{t("moderation.shortcuts.intro")}</p>
      <dl className="queue-help__keys">
        {keys.map(([key, name]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{t(`moderation.shortcuts.keys.${name}`)}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">{t("moderation.shortcuts.noScript")}</p>
    </details>
  );
});
