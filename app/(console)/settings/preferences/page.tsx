// The signed-in user's profile and console preferences.
import type { Metadata } from "next";
import { PreferencesForm } from "@/components/shell/preferences-form";

export const metadata: Metadata = { title: "Preferences" };

export default function PreferencesPage() {
  return <PreferencesForm />;
}
