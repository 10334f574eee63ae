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
