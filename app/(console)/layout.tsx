// The signed-in console: the session is checked here on the server (no session → /sign-in);
// every API call is still authorised by the server on its own.
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/shell/console-shell";
import { currentPrincipal } from "@/components/shell/session";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const who = await currentPrincipal();
  if (!who) redirect("/sign-in");
  return (
    <ConsoleShell user={{ name: who.principal.name, email: who.principal.email }}>{children}</ConsoleShell>
  );
}
