// <clv-value-story>: what a product's improvement is worth to one prospect (`valueStory`). Importing
// the module defines the element.
import type { ValueStoryInput, ValueStory } from "../pkg/clvlab.js";
import type { ClvElement } from "./elements.js";

/** `clv-prospect`'s detail: the visible fields as the prospect typed them (percentages as fractions). */
export interface ClvProspect {
  prospect: Partial<Record<"customers" | "margin" | "churn" | "newCustomers" | "acquisitionCost" | "discountRate" | "horizon", number>>;
}

export interface ClvValueStory extends ClvElement<ValueStoryInput & { product?: string }, ValueStory> {
  /** The visible fields as the prospect typed them. */
  readonly prospect: ClvProspect["prospect"];
  /** The last story as a standalone one-page HTML summary ("" before the first). */
  readonly summary: string;
  /** Prints the summary from a hidden frame. */
  printSummary(): void;
  /** Downloads the summary as value-story.html. */
  saveSummary(): void;
}
export declare const ClvValueStory: { prototype: ClvValueStory; new (): ClvValueStory };
