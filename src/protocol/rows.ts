// A row the studio could not read, as the page lists it (shared by the table and the causal-LM data messages).
export type RowError = { row: number; message: string };
