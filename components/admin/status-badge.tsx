export type CheckState = "done" | "todo" | "manual";

const STYLES: Record<CheckState, { text: string; className: string; icon: string }> = {
  done: {
    text: "Done",
    icon: "✓",
    className:
      "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-100",
  },
  todo: {
    text: "Not done",
    icon: "!",
    className:
      "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100",
  },
  manual: {
    text: "Check in the Azure portal",
    icon: "?",
    className:
      "border-slate-300 bg-slate-50 text-slate-700 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200",
  },
};

/** Whether the portal verified a step itself: done, not done, or only checkable by a person. */
export function StatusBadge({
  state,
  label,
  detail,
}: {
  state: CheckState;
  /** Replaces the state's word (the settings table says Set / Missing). */
  label?: string;
  /** Follows the state's word: "Done · ACS reachable". */
  detail?: string;
}) {
  const style = STYLES[state];
  return (
    <span
      data-status={state}
      className={`inline-flex max-w-full shrink-0 flex-wrap items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs font-semibold ${style.className}`}
    >
      <span aria-hidden="true">{style.icon}</span>
      {label ?? style.text}
      {detail ? <span className="font-normal">· {detail}</span> : null}
    </span>
  );
}
