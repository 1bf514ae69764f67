import { CopyButton } from "@/components/copy-button";

/** A labelled value the reader copies into the Azure portal, with a copy button. */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="space-y-1">
      <p className="text-sm font-medium">{label}</p>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
        <code className="code block min-w-0 flex-1 break-all py-2 leading-relaxed" data-testid={testId}>
          {value}
        </code>
        <CopyButton
          value={value}
          label={`Copy ${label.toLowerCase()}`}
          className="btn-secondary shrink-0 sm:min-w-36"
        />
      </div>
    </div>
  );
}

/** A command block with a copy button. */
export function CommandBlock({ label, commands }: { label: string; commands: string }) {
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm font-medium">{label}</p>
        <CopyButton value={commands} label={`Copy ${label}`} className="btn-secondary sm:min-w-36" />
      </div>
      <pre className="overflow-x-auto rounded-lg bg-slate-900 p-4 text-sm leading-relaxed text-slate-100 dark:bg-black/60">
        <code>{commands}</code>
      </pre>
    </div>
  );
}
