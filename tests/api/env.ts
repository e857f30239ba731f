// Where the API test servers run; shared by playwright.api.config.ts and the tests.
export const PGLITE_PORT = 4174;
export const POSTGRES_PORT = 4175;
export const PGLITE_DATA_DIR = 'tmp/api-pglite-data';
