"use client";
// Profile (read-only: who you are, where you have access) and console preferences: theme,
// where the console opens, rows per page. Saved server-side so they follow the user.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Monitor, Moon, Sun } from "lucide-react";
import { useState } from "react";
import { useTRPC } from "@/components/trpc";
import {
  Badge,
  Button,
  Card,
  CardContent,
  CardFooter,
  CardHeader,
  ErrorState,
  Field,
  KeyValueList,
  PageHeader,
  Select,
  SkeletonText,
  cn,
  errorInfo,
  toast,
} from "@/components/ui";
import { useTheme, type Theme } from "./theme";

const THEMES: { id: Theme; label: string; icon: React.ReactNode }[] = [
  { id: "light", label: "Light", icon: <Sun /> },
  { id: "dark", label: "Dark", icon: <Moon /> },
  { id: "system", label: "System", icon: <Monitor /> },
];

export function PreferencesForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.common.getMe.queryOptions());
  const prefs = useQuery(trpc.prefs.getPreferences.queryOptions());
  const { theme, setTheme } = useTheme();

  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <PageHeader
        title="Profile and preferences"
        description="Who you are in Cirrus, and how the console behaves for you."
      />
      <Card>
        <CardHeader title="Profile" description="Managed by your organisation's administrators" />
        <CardContent>
          {me.isPending ? (
            <SkeletonText lines={3} />
          ) : me.isError ? (
            <ErrorState compact error={me.error} onRetry={() => void me.refetch()} />
          ) : (
            <KeyValueList
              items={[
                { label: "Name", value: me.data.name },
                { label: "Email", value: me.data.email },
                { label: "User ID", value: me.data.id, mono: true, copy: me.data.id },
                {
                  label: "Access",
                  value: (
                    <span className="flex flex-wrap gap-1.5">
                      {me.data.platformRoles.map((r) => (
                        <Badge key={r} tone="accent">
                          platform: {r}
                        </Badge>
                      ))}
                      {me.data.memberships.flatMap((m) =>
                        m.roles.map((r) => (
                          <Badge key={`${m.org.slug}:${r.roleKey}:${r.projectSlug ?? ""}`}>
                            {m.org.slug}
                            {r.projectSlug ? `/${r.projectSlug}` : ""}: {r.roleName}
                          </Badge>
                        )),
                      )}
                      {me.data.platformRoles.length === 0 &&
                      me.data.memberships.every((m) => m.roles.length === 0) ? (
                        <span className="text-muted-foreground">No roles yet</span>
                      ) : null}
                    </span>
                  ),
                },
              ]}
            />
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader title="Appearance" description="Applies at once and follows you to other browsers" />
        <CardContent>
          <div role="radiogroup" aria-label="Theme" className="grid grid-cols-3 gap-3">
            {THEMES.map((t) => (
              <button
                key={t.id}
                type="button"
                role="radio"
                aria-checked={theme === t.id}
                onClick={() => setTheme(t.id)}
                data-testid={`pref-theme-${t.id}`}
                className={cn(
                  "flex h-20 flex-col items-center justify-center gap-2 rounded-lg border text-sm font-medium transition-colors [&_svg]:size-5",
                  theme === t.id
                    ? "border-primary bg-primary-soft text-foreground"
                    : "border-border-strong text-muted-foreground hover:bg-surface-muted hover:text-foreground",
                )}
              >
                {t.icon}
                {t.label}
              </button>
            ))}
          </div>
        </CardContent>
      </Card>

      {prefs.isPending || me.isPending ? (
        <Card>
          <CardContent>
            <SkeletonText lines={4} />
          </CardContent>
        </Card>
      ) : prefs.isError ? (
        <Card>
          <ErrorState error={prefs.error} onRetry={() => void prefs.refetch()} />
        </Card>
      ) : (
        <DefaultsCard
          key={JSON.stringify(prefs.data)}
          initial={prefs.data}
          memberships={me.data?.memberships ?? []}
          onSaved={(p) => queryClient.setQueryData(trpc.prefs.getPreferences.queryKey(), p)}
        />
      )}
    </div>
  );
}

type Prefs = { defaultOrg: string | null; defaultProject: string | null; tablePageSize: number };

function DefaultsCard({
  initial,
  memberships,
  onSaved,
}: {
  initial: Prefs;
  memberships: { org: { slug: string; name: string }; projects: { slug: string; name: string }[] }[];
  onSaved: (p: Prefs & { theme: Theme; defaultRegion: string | null }) => void;
}) {
  const trpc = useTRPC();
  const [org, setOrg] = useState(initial.defaultOrg ?? "");
  const [project, setProject] = useState(initial.defaultProject ?? "");
  const [pageSize, setPageSize] = useState(String(initial.tablePageSize));
  const save = useMutation(
    trpc.prefs.updatePreferences.mutationOptions({
      onSuccess: (p) => {
        onSaved(p);
        toast.success("Preferences saved");
      },
    }),
  );
  const projects = memberships.find((m) => m.org.slug === org)?.projects ?? [];
  const err = save.error ? errorInfo(save.error) : null;
  const dirty =
    org !== (initial.defaultOrg ?? "") ||
    project !== (initial.defaultProject ?? "") ||
    pageSize !== String(initial.tablePageSize);
  return (
    <Card>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            defaultOrg: org || null,
            defaultProject: project || null,
            tablePageSize: Number(pageSize),
          });
        }}
      >
        <CardHeader title="Defaults" description="Where the console opens, and how long lists are" />
        <CardContent className="grid gap-5 sm:grid-cols-2">
          <Field
            label="Open on organisation"
            hint="Where you land after signing in"
            error={err?.field === "defaultOrg" ? err.message : undefined}
          >
            <Select
              value={org}
              onChange={(e) => {
                setOrg(e.target.value);
                setProject("");
              }}
              placeholder="The first one"
              options={memberships.map((m) => ({ value: m.org.slug, label: m.org.name }))}
            />
          </Field>
          <Field
            label="Open on project"
            hint="Optional"
            error={err?.field === "defaultProject" ? err.message : undefined}
          >
            <Select
              value={project}
              onChange={(e) => setProject(e.target.value)}
              disabled={!org}
              placeholder={org ? "The organisation dashboard" : "Pick an organisation first"}
              options={projects.map((p) => ({ value: p.slug, label: p.name }))}
            />
          </Field>
          <Field label="Rows per page in lists">
            <Select
              value={pageSize}
              onChange={(e) => setPageSize(e.target.value)}
              options={[10, 25, 50, 100, 200].map((n) => ({ value: String(n), label: String(n) }))}
            />
          </Field>
          {err && !err.field?.startsWith("default") ? (
            <p className="text-sm text-danger sm:col-span-2" role="alert">
              {err.message}
            </p>
          ) : null}
        </CardContent>
        <CardFooter>
          <Button type="submit" loading={save.isPending} disabled={!dirty}>
            Save preferences
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
