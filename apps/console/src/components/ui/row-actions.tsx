"use client";
import type { ReactNode } from "react";

/** The small secondary button for an action on one listed item (a table row, a card). */
export function RowButton({ label, onClick, disabled, children }: { label?: string; onClick: () => void; disabled?: boolean; children: ReactNode }) {
  return (
    <button type="button" className="button button-secondary button-small" onClick={onClick} aria-label={label} disabled={disabled}>
      {children}
    </button>
  );
}

/** The button group at the end of a table row. */
export function RowActions({ children }: { children: ReactNode }) {
  return <div className="row-actions">{children}</div>;
}

/** Edit and Delete for one row; without onDelete only Edit is shown. */
export function EditDeleteActions({ editLabel, deleteLabel, onEdit, onDelete, editDisabled }: { editLabel: string; deleteLabel: string; onEdit: () => void; onDelete?: (() => void) | undefined; editDisabled?: boolean }) {
  return (
    <RowActions>
      <RowButton label={editLabel} onClick={onEdit} disabled={editDisabled}>
        Edit
      </RowButton>
      {onDelete ? (
        <RowButton label={deleteLabel} onClick={onDelete}>
          Delete
        </RowButton>
      ) : null}
    </RowActions>
  );
}
