-- Issue 11, ingest (hand-written: drizzle-kit cannot express a table's storage parameters).
-- A feed row of up to 8,160 bytes stays in the table as it is, uncompressed: a sale's change
-- is about 2.8 KB of JSON, which PostgreSQL compressed (pglz) on every insert once a row passed
-- the default 2 KB. Rows already stored keep their form; larger ones are still compressed.
ALTER TABLE "sync_changes" SET (toast_tuple_target = 8160);
