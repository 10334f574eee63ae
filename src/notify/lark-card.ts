// A Feishu/Lark custom bot message (docs/sync.md#lark): an interactive card, `msg_type: "interactive"`
// with the card inline, a coloured header and markdown elements.
import type { NotifyEvent } from "../core/notify-target.js";
import type { NotificationMessage } from "./message.js";

export function renderLarkCard(message: NotificationMessage): unknown {
  const links = [
    message.commit === undefined ? null : `Commit ${escapeMarkdown(message.commit.slice(0, 12))}`,
    message.runUrl === undefined
      ? null
      : `[Open the run](${message.runUrl.replace(/[()\s]/g, encodeURIComponent)})`,
  ].filter((part) => part !== null);
  return {
    msg_type: "interactive",
    card: {
      config: { wide_screen_mode: true },
      header: { title: { tag: "plain_text", content: message.title }, template: templateOf(message.event) },
      elements: [
        { tag: "markdown", content: `**Directory:** ${escapeMarkdown(message.directory)}` },
        ...message.sections.map((section) => ({
          tag: "markdown",
          content: [
            `**${section.heading}**`,
            ...section.lines.map((line) => `- ${escapeMarkdown(line)}`),
          ].join("\n"),
        })),
        ...(links.length === 0 ? [] : [{ tag: "hr" }, { tag: "markdown", content: links.join(" · ") }]),
      ],
    },
  };
}

function templateOf(event: NotifyEvent): string {
  switch (event) {
    case "failed":
      return "red";
    case "blocked":
      return "orange";
    case "applied":
      return "green";
    case "drift":
      return "yellow";
  }
}

/**
 * Names and values come from manifests and Ark: they must not turn into markup, links or mentions
 * (`<at id=all>`). Lark's card markdown takes HTML character references for its special characters.
 */
function escapeMarkdown(text: string): string {
  return text.replace(/[&<>*_~`[\]()#|\\]/g, (character) => `&#${character.charCodeAt(0)};`);
}
