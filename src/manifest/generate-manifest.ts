// A manifest written from a live endpoint (`import --all --generate`): the editor modeline, then the
// attributes in the order of the example manifest (manifests/endpoint-demo.yaml), values quoted where
// YAML 1.2 would read them as anything but the string they are, and control, bidi and invisible
// characters written as \uXXXX escapes in double quotes, so neither the file nor `render` shows them
// raw. Reading it back gives the same attributes (test/manifest/generate-manifest.test.ts).
import { dirname, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Document, visit } from "yaml";
import type { EndpointAttributes, Lifecycle } from "../core/types.js";
import { escapeCharacter, unsafeCharacters } from "../core/unsafe-characters.js";

/**
 * The editor modeline of a manifest written at `file`: the endpoint schema of this installation of
 * ark-sync (its package's `schemas/`), as a path relative to the manifest, which is how editors
 * resolve it. In the repository's `manifests/` that is `../schemas/endpoint.schema.json`; a directory
 * outside the repository gets the path that leads back to the installation.
 */
export function schemaModeline(file: string): string {
  // This module runs from dist/src/manifest/; the package's root is three folders up.
  const schema = fileURLToPath(new URL("../../../schemas/endpoint.schema.json", import.meta.url));
  const path = relative(dirname(resolve(file)), schema)
    .split(sep)
    .join("/");
  return `# yaml-language-server: $schema=${path}`;
}

/** The manifest to write at `file` (which locates the schema for the modeline). */
export function generateManifest(attributes: EndpointAttributes, file: string): string {
  return `${schemaModeline(file)}\n${manifestYaml(attributes)}`;
}

/** ark-sync's own settings of an endpoint, written after its attributes (`render`). */
export interface OwnSettings {
  lifecycle?: Lifecycle;
  moved_from?: string;
}

/** The manifest without its modeline, with ark-sync's own settings when they say anything. */
export function manifestYaml(attributes: EndpointAttributes, own: OwnSettings = {}): string {
  const body: Record<string, unknown> = {
    apiVersion: "ark-sync/v1",
    kind: "Endpoint",
    name: attributes.name,
  };
  if (attributes.description !== undefined) body.description = attributes.description;
  if (attributes.model_reference !== undefined) body.model_reference = attributes.model_reference;
  if (attributes.model_unit_id !== undefined) body.model_unit_id = attributes.model_unit_id;
  if (attributes.moderation !== undefined) body.moderation = attributes.moderation;
  body.project_name = attributes.project_name;
  const rateLimit = attributes.rate_limit;
  if (rateLimit !== undefined) {
    body.rate_limit = {
      ...(rateLimit.tpm === undefined ? {} : { tpm: rateLimit.tpm }),
      ...(rateLimit.rpm === undefined ? {} : { rpm: rateLimit.rpm }),
    };
  }
  if (attributes.tags !== undefined) body.tags = attributes.tags.map(({ key, value }) => ({ key, value }));
  if (own.lifecycle !== undefined && Object.keys(own.lifecycle).length > 0) body.lifecycle = own.lifecycle;
  if (own.moved_from !== undefined) body.moved_from = own.moved_from;
  const document = new Document(body, { version: "1.2" });
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && node.value.search(unsafeCharacters) !== -1)
        node.type = "QUOTE_DOUBLE";
    },
  });
  // Line breaks are the document's own (a string's are `\n` in double quotes); what else is left raw
  // can only be inside those double-quoted strings, where \uXXXX is an escape.
  return document
    .toString({ lineWidth: 0, doubleQuotedAsJSON: true })
    .replace(unsafeCharacters, (char) => (char === "\n" ? char : escapeCharacter(char)));
}

/**
 * `<name>.yaml`, with anything but letters, digits (of any script), `.`, `_` and `-` replaced by `-`,
 * and no leading dot (no hidden files, no `..`); a project other
 * than `default` goes in a folder of its own name, so namesakes in two projects never collide.
 */
export function manifestPath(attributes: EndpointAttributes): string {
  const safe = (text: string) => text.replace(/[^\p{L}\p{N}._-]/gu, "-").replace(/^\.+/, "-");
  const file = `${safe(attributes.name)}.yaml`;
  return attributes.project_name === "default" ? file : `${safe(attributes.project_name)}/${file}`;
}
