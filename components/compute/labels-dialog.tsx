"use client";
// Label editing: the whole set of one instance (dialog), or a change applied to several (set some
// keys, remove others), merged into each instance's own labels.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import {
  hasLabelErrors,
  LabelsEditor,
  labelsToPairs,
  pairsToLabels,
  validateLabelPairs,
  type LabelPair,
} from "@/components/resources";
import { useTRPC } from "@/components/trpc";
import { Button, Dialog, Field, Input, toast } from "@/components/ui";
import type { Instance, Scope } from "./types";

export interface LabelChange {
  set: Record<string, string>;
  remove: string[];
}

export const NO_CHANGE: LabelChange = { set: {}, remove: [] };

/**
 * The bulk change being confirmed: the form in the confirmation writes it, the action's run (one
 * call per instance) reads it. A store rather than state: the run happens outside React.
 */
export interface LabelChangeStore {
  get: () => LabelChange;
  set: (change: LabelChange) => void;
}

export function createLabelChangeStore(): LabelChangeStore {
  let current = NO_CHANGE;
  return {
    get: () => current,
    set: (change) => {
      current = change;
    },
  };
}

/** An instance's labels after a bulk change: removals first, then the keys set. */
export function mergeLabels(current: Record<string, string>, change: LabelChange): Record<string, string> {
  const out = { ...current };
  for (const k of change.remove) delete out[k];
  return { ...out, ...change.set };
}

export function BulkLabelsForm({ count, change }: { count: number; change: LabelChangeStore }) {
  const [pairs, setPairs] = useState<LabelPair[]>([{ key: "", value: "" }]);
  const [remove, setRemove] = useState("");
  // A new confirmation starts from no change (the last one's must not be applied again).
  useEffect(() => change.set(NO_CHANGE), [change]);
  const publish = (p: LabelPair[], r: string) => {
    change.set({
      set: hasLabelErrors(validateLabelPairs(p)) ? {} : pairsToLabels(p),
      remove: r
        .split(/[\s,]+/)
        .map((k) => k.trim())
        .filter(Boolean),
    });
  };
  return (
    <div className="flex flex-col gap-4 pt-2 text-left">
      <p className="text-sm text-muted-foreground">
        {count === 1 ? "The instance keeps" : `Each of the ${count} instances keeps`} its other labels. An
        instance may hold at most five labels; one that would pass that is reported and left unchanged.
      </p>
      <LabelsEditor
        label="Set these labels"
        value={pairs}
        onChange={(p) => {
          setPairs(p);
          publish(p, remove);
        }}
      />
      <Field label="Remove these keys" hint="Keys separated by commas or spaces">
        <Input
          value={remove}
          placeholder="env, owner"
          onChange={(e) => {
            setRemove(e.target.value);
            publish(pairs, e.target.value);
          }}
        />
      </Field>
    </div>
  );
}

export function EditLabelsDialog({
  scope,
  instance,
  open,
  onClose,
}: {
  scope: Scope;
  instance: Pick<Instance, "id" | "name" | "labels"> | null;
  open: boolean;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={open && Boolean(instance)}
      onClose={onClose}
      title={`Labels of ${instance?.name ?? ""}`}
      size="md"
    >
      {instance ? <EditLabelsBody scope={scope} instance={instance} onClose={onClose} /> : null}
    </Dialog>
  );
}

function EditLabelsBody({
  scope,
  instance,
  onClose,
}: {
  scope: Scope;
  instance: Pick<Instance, "id" | "name" | "labels">;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pairs, setPairs] = useState<LabelPair[]>(() => labelsToPairs(instance.labels));
  const invalid = hasLabelErrors(validateLabelPairs(pairs));
  const save = useMutation(
    trpc.compute.updateInstance.mutationOptions({
      onSuccess: () => {
        toast.success(`Labels of ${instance.name} saved`);
        void queryClient.invalidateQueries({ queryKey: trpc.compute.pathKey() });
        onClose();
      },
      onError: (e) => toast.error("Could not save the labels", e),
    }),
  );
  return (
    <div className="flex flex-col gap-5">
      <LabelsEditor value={pairs} onChange={setPairs} disabled={save.isPending} />
      <div className="flex justify-end gap-2">
        <Button variant="outline" onClick={onClose} disabled={save.isPending}>
          Cancel
        </Button>
        <Button
          loading={save.isPending}
          disabled={invalid}
          onClick={() => save.mutate({ ...scope, id: instance.id, labels: pairsToLabels(pairs) })}
        >
          Save labels
        </Button>
      </div>
    </div>
  );
}
