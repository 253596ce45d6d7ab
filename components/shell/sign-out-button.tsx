"use client";
// Sign out (Auth.js revokes the server-side session too) and land on the sign-in page.
import { LogOut } from "lucide-react";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { Button, type ButtonProps } from "@/components/ui";

export function SignOutButton(props: Omit<ButtonProps, "onClick">) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="outline"
      icon={<LogOut />}
      loading={busy}
      onClick={() => {
        setBusy(true);
        void signOut({ redirectTo: "/sign-in" });
      }}
      {...props}
    >
      Sign out
    </Button>
  );
}
