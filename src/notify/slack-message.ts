// A Slack incoming webhook message (docs/sync.md#slack): `text` for notifications and clients without
// blocks, and blocks: a header, one section per event, and a context line with the links.
import type { NotificationMessage } from "./message.js";

export function renderSlackMessage(message: NotificationMessage): unknown {
  const links = [
    message.commit === undefined ? null : `commit \`${escapeMrkdwn(message.commit.slice(0, 12))}\``,
    message.runUrl === undefined ? null : `<${escapeMrkdwn(message.runUrl)}|open the run>`,
  ].filter((part) => part !== null);
  return {
    text: message.title,
    blocks: [
      { type: "header", text: { type: "plain_text", text: message.title.slice(0, 150) } },
      ...message.sections.map((section) => ({
        type: "section",
        text: {
          type: "mrkdwn",
          text: [`*${section.heading}*`, ...section.lines.map((line) => `• ${escapeMrkdwn(line)}`)]
            .join("\n")
            .slice(0, 3000),
        },
      })),
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: [`directory \`${escapeMrkdwn(message.directory)}\``, ...links].join(" · "),
          },
        ],
      },
    ],
  };
}

/** Slack's mrkdwn needs only &, < and > escaped (its "Escaping text" rule). */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
