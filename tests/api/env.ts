// Where the API test servers run; shared by playwright.api.config.ts and the tests.
// API_PGLITE_PORT, API_POSTGRES_PORT and API_DATA_DIR move them, so that several people (or
// builds, see KRAAM_OUT) can run the API tests on one machine at the same time.
export const PGLITE_PORT = Number(process.env.API_PGLITE_PORT || 4174);
export const POSTGRES_PORT = Number(process.env.API_POSTGRES_PORT || 4175);
export const PGLITE_DATA_DIR = process.env.API_DATA_DIR || 'tmp/api-pglite-data';
