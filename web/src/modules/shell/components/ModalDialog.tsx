import { useEffect, useRef, type CSSProperties, type ReactNode } from "react";

interface Props {
  /** The id of the heading that names the dialog. */
  labelledBy: string;
  onClose: () => void;
  /** Focus moves to the close button and the dialog scrolls to its top whenever this changes. */
  contentKey: string;
  style?: CSSProperties;
  children: ReactNode;
}

/** A modal dialog over the page: Escape, the ✕ button or a click outside close it; Tab stays inside. */
export function ModalDialog({ labelledBy, onClose, contentKey, style, children }: Props) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    closeRef.current?.focus();
    dialogRef.current?.scrollTo({ top: 0 });
  }, [contentKey]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.preventDefault();
        onClose();
      } else if (event.key === "Tab") trapFocus(event, dialogRef.current);
    };
    document.addEventListener("keydown", onKey);
    document.body.classList.add("modal-open");
    return () => {
      document.removeEventListener("keydown", onKey);
      document.body.classList.remove("modal-open");
    };
  }, [onClose]);

  return (
    <div className="modal-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={labelledBy} ref={dialogRef} style={style}>
        <button ref={closeRef} type="button" className="modal-close" onClick={onClose} aria-label="Close details">
          ✕
        </button>
        {children}
      </div>
    </div>
  );
}

function trapFocus(event: KeyboardEvent, container: HTMLElement | null) {
  if (!container) return;
  const focusable = [...container.querySelectorAll<HTMLElement>("button, a[href], input, [tabindex]:not([tabindex='-1'])")].filter((el) => !el.hasAttribute("disabled"));
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
