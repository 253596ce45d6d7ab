"use client";
// The signed-in user's menu: profile and preferences, API tokens, theme, sign out.
import { KeyRound, LogOut, Monitor, Moon, Settings, Sun } from "lucide-react";
import { signOut } from "next-auth/react";
import { DropdownMenu, type MenuEntry } from "@/components/ui";
import { useTheme, type Theme } from "./theme";

function initials(name: string, email: string): string {
  const source = name.trim() || email;
  const parts = source.split(/[\s@.]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts[1]?.[0] ?? "")).toUpperCase();
}

export function UserMenu({ name, email }: { name: string; email: string }) {
  const { theme, setTheme } = useTheme();
  const themeItem = (t: Theme, label: string, icon: React.ReactNode): MenuEntry => ({
    label,
    shortcut: theme === t ? "✓" : undefined,
    icon,
    onSelect: () => setTheme(t),
    "data-testid": `theme-${t}`,
  });
  return (
    <DropdownMenu
      align="end"
      triggerSize="icon"
      aria-label={`Account menu for ${email}`}
      data-testid="user-menu"
      trigger={
        <span className="flex size-8 items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground">
          {initials(name, email)}
        </span>
      }
      header={
        <div className="min-w-0">
          <p className="truncate text-sm font-medium">{name || email}</p>
          <p className="truncate text-xs text-muted-foreground">{email}</p>
        </div>
      }
      items={[
        { label: "Profile and preferences", icon: <Settings />, href: "/settings/preferences" },
        { label: "API tokens", icon: <KeyRound />, href: "/settings/tokens" },
        { type: "separator" },
        { type: "label", label: "Theme" },
        themeItem("light", "Light", <Sun />),
        themeItem("dark", "Dark", <Moon />),
        themeItem("system", "System", <Monitor />),
        { type: "separator" },
        {
          label: "Sign out",
          icon: <LogOut />,
          onSelect: () => void signOut({ redirectTo: "/sign-in" }),
          "data-testid": "sign-out",
        },
      ]}
    />
  );
}
