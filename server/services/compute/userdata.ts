// cloud-init user data: a #cloud-config document must be a YAML mapping; scripts (#!) and
// MIME multi-part documents pass as they are. Nova limits the encoded size to 64 KiB.
import { parse } from "yaml";
import { AppError } from "@/server/errors";

const MAX_ENCODED = 65535;

export function validateUserData(text: string): string {
  const fail = (why: string) => new AppError("INVALID_INPUT", `userData: ${why}`, { field: "userData" });
  if (Buffer.byteLength(Buffer.from(text, "utf8").toString("base64")) > MAX_ENCODED)
    throw fail("larger than Nova's 64 KiB limit once base64-encoded");
  const first = text.trimStart().split("\n", 1)[0]!.trim();
  if (first.startsWith("#!") || first.startsWith("Content-Type: multipart/") || first === "#include")
    return text;
  if (first !== "#cloud-config")
    throw fail('start with "#cloud-config" (YAML), "#!" (a script) or a MIME multi-part header');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    const m = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw fail(`not valid YAML: ${m}`);
  }
  if (doc !== null && (typeof doc !== "object" || Array.isArray(doc)))
    throw fail("a #cloud-config document must be a YAML mapping (key: value)");
  return text;
}
