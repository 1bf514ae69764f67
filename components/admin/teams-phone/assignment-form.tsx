"use client";

import { useActionState } from "react";
import { LazyErrorPanel } from "@/components/lazy-error-panel";
import { PRINCIPAL_TYPE_LABELS, PRINCIPAL_TYPES, type PrincipalType } from "@/lib/acs/principal-type";
import type { AssignmentActionState } from "@/lib/teams-phone/view";

export interface ClientOption {
  id: string;
  label: string;
}

interface AssignmentFormProps {
  action: (previous: AssignmentActionState, formData: FormData) => Promise<AssignmentActionState>;
  tenantId: string;
  objectId: string;
  current: { principalType: PrincipalType; clientIds: string[] } | null;
  clientOptions: ClientOption[];
  appId: string;
}

/** Create or replace one principal's Teams Phone access assignment. */
export function AssignmentForm({
  action,
  tenantId,
  objectId,
  current,
  clientOptions,
  appId,
}: AssignmentFormProps) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const known = new Set(clientOptions.map((option) => option.id));
  const others = (current?.clientIds ?? []).filter((id) => !known.has(id));
  const fieldError = (name: string) => (state.status === "invalid" ? state.fieldErrors[name] : undefined);
  const describedBy = (name: string) =>
    fieldError(name) ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {};
  const errorText = (name: string) =>
    fieldError(name) ? (
      <p id={`${name}-error`} className="text-sm font-medium text-red-700 dark:text-red-300">
        {fieldError(name)}
      </p>
    ) : null;

  return (
    <form
      action={formAction}
      className="card space-y-4"
      aria-labelledby="assignment-form-title"
      aria-busy={pending}
      noValidate
    >
      <h2 id="assignment-form-title" className="text-lg font-semibold">
        {current ? "Replace the assignment" : "Create an assignment"}
      </h2>
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="objectId" value={objectId} />
      {errorText("tenantId")}
      {errorText("objectId")}
      <div className="space-y-1">
        <label htmlFor="principalType" className="block text-sm font-medium">
          Principal type
        </label>
        <select
          id="principalType"
          name="principalType"
          className="field"
          defaultValue={current?.principalType ?? "user"}
          {...describedBy("principalType")}
        >
          {PRINCIPAL_TYPES.map((type) => (
            <option key={type} value={type}>
              {PRINCIPAL_TYPE_LABELS[type]}
            </option>
          ))}
        </select>
        {errorText("principalType")}
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Client apps allowed to get its Teams Phone token</legend>
        {clientOptions.map((option) => (
          <label key={option.id} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="clientIds"
              value={option.id}
              defaultChecked={current ? current.clientIds.includes(option.id) : true}
            />
            <span>
              {option.label} <span className="font-mono text-xs">{option.id}</span>
            </span>
          </label>
        ))}
        {errorText("clientIds")}
      </fieldset>
      <div className="space-y-1">
        <label htmlFor="otherClientIds" className="block text-sm font-medium">
          Other client app ids (GUIDs, separated by commas or spaces)
        </label>
        <input
          id="otherClientIds"
          name="otherClientIds"
          type="text"
          className="field font-mono"
          defaultValue={others.join(", ")}
          autoComplete="off"
          spellCheck={false}
          maxLength={2000}
          {...describedBy("otherClientIds")}
        />
        {errorText("otherClientIds")}
      </div>
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? "Saving…" : current ? "Replace assignment" : "Create assignment"}
      </button>
      <div aria-live="polite" data-testid="assignment-save-status" data-status={state.status}>
        {state.status === "saved" ? (
          <p className="text-sm font-medium text-emerald-700 dark:text-emerald-300">
            {state.created ? "Assignment created." : "Assignment replaced."}
          </p>
        ) : null}
        {state.status === "error" ? (
          <LazyErrorPanel error={state.error} appId={appId} headingLevel="h3" />
        ) : null}
      </div>
    </form>
  );
}
