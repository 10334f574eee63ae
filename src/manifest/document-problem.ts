/** A problem in one YAML document, at an offset of its source; the file and line come later. */
export interface DocumentProblem {
  offset: number;
  code: string;
  message: string;
}
