// Shared imports for catalog tests.
export * from '../../src/catalog/index.ts';
export { UTILISATION as UTILISATION_FOR_TESTS } from '../../src/catalog/units.ts';
