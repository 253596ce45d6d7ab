import type { Metadata } from "next";
import Script from "next/script";
import type { ReactNode } from "react";
import { AppProviders } from "@/components/providers/app-providers";
import { Toaster } from "@/components/ui/toast";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Cirrus", template: "%s · Cirrus" },
  description: "Self-service cloud console",
};

// The theme class is set before paint from the stored preference, so dark mode never flashes.
const themeScript = `try{var t=localStorage.getItem("cirrus-theme")||"system";var d=t==="dark"||(t==="system"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d)}catch(e){}`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <body>
        <Script id="cirrus-theme" strategy="beforeInteractive">
          {themeScript}
        </Script>
        <AppProviders>
          {children}
          <Toaster />
        </AppProviders>
      </body>
    </html>
  );
}
