// Limits shared by the Store adapters so both answer the same.
export const AUDIT_DEFAULT_LIMIT = 50;
export const AUDIT_MAX_LIMIT = 100_000;
