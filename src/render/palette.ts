// Terraform's colours for plan output: green create, red destroy, yellow update, cyan notes, dark grey
// for what is de-emphasised. With colour off every role is the identity, so callers never branch.
import pc from "picocolors";

export type Style = (text: string) => string;

export interface Palette {
  create: Style;
  destroy: Style;
  update: Style;
  note: Style;
  dim: Style;
  bold: Style;
}

export function createPalette(color: boolean): Palette {
  const colors = pc.createColors(color);
  return {
    create: colors.green,
    destroy: colors.red,
    update: colors.yellow,
    note: colors.cyan,
    dim: colors.gray,
    bold: colors.bold,
  };
}

/** What happens to one resource, attribute or tag; replaces only apply to whole resources. */
export type DiffAction = "create" | "delete" | "update" | "no-op" | "delete-create" | "create-delete";

/** The 3-column action gutter: `  +`, `  -`, `  ~`, `-/+`, `+/-`, or three spaces. */
export function formatActionSymbol(action: DiffAction, palette: Palette): string {
  switch (action) {
    case "create":
      return `  ${palette.create("+")}`;
    case "delete":
      return `  ${palette.destroy("-")}`;
    case "update":
      return `  ${palette.update("~")}`;
    case "delete-create":
      return `${palette.destroy("-")}/${palette.create("+")}`;
    case "create-delete":
      return `${palette.create("+")}/${palette.destroy("-")}`;
    case "no-op":
      return "   ";
  }
}
