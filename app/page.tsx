// The front door: signed-out visitors go to sign-in; others to their default (or first)
// organisation, or a page that says they have none yet.
import { and, eq } from "drizzle-orm";
import { Building2 } from "lucide-react";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { projects } from "@/db/schema";
import { canSeeProject } from "@/server/iam/access";
import { listOrganizationsFor } from "@/server/services/orgs";
import { getPreferences } from "@/server/services/prefs";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { currentPrincipal } from "@/components/shell/session";
import { Card, EmptyState } from "@/components/ui";

export const dynamic = "force-dynamic";

export default async function Home() {
  const who = await currentPrincipal();
  if (!who) redirect("/sign-in");
  const db = getDb();
  const [orgs, prefs] = await Promise.all([
    listOrganizationsFor(db, who.grants),
    getPreferences(db, who.principal.userId),
  ]);
  const preferred = orgs.find((o) => o.slug === prefs.defaultOrg);
  if (preferred) {
    if (prefs.defaultProject) {
      const [p] = await db
        .select()
        .from(projects)
        .where(and(eq(projects.orgId, preferred.id), eq(projects.slug, prefs.defaultProject)));
      if (p && canSeeProject(who.grants, preferred.id, p.id)) redirect(`/${preferred.slug}/${p.slug}`);
    }
    redirect(`/${preferred.slug}`);
  }
  const first = orgs[0];
  if (first) redirect(`/${first.slug}`);
  if (who.grants.platform.size > 0) redirect("/admin/organizations");

  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <Card className="w-full max-w-md">
        <EmptyState
          icon={<Building2 />}
          title="You are not in an organisation yet"
          description={`Signed in as ${who.principal.email}. Ask an administrator of your organisation to invite you, then sign in again.`}
          action={<SignOutButton />}
        />
      </Card>
    </main>
  );
}
