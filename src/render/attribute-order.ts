// The order renderers list attributes in: the core's plan order for top-level attributes (name first,
// tags last), then any other name; nested keys alphabetically.
import { compareStrings } from "../core/attribute-paths.js";
import { attributeOrder } from "../core/mutability.js";

export function compareAttributeNames(a: string, b: string): number {
  return attributeRank(a) - attributeRank(b) || compareStrings(a, b);
}

function attributeRank(name: string): number {
  const index = (attributeOrder as readonly string[]).indexOf(name);
  return index === -1 ? attributeOrder.length : index;
}
