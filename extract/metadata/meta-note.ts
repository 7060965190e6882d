// How a metadata field was obtained: read from the page, inferred from context, or absent (and why).
export interface MetaNote {
  basis: "read" | "inferred" | "absent";
  detail: string;
}
