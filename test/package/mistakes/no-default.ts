// A spec file without a default export.
export const x = 1;
