// The invite link the inviter passes on: absolute when the console's public URL is configured.
import { env } from "@/server/env";

export function invitationUrl(token: string): string {
  const path = `/sign-in/accept?token=${encodeURIComponent(token)}`;
  return env.CIRRUS_PUBLIC_URL ? new URL(path, env.CIRRUS_PUBLIC_URL).toString() : path;
}
