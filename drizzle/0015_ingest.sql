ALTER TABLE "sync_changes" ALTER COLUMN "data" SET DATA TYPE json;--> statement-breakpoint
-- Hand-written, also in drizzle/custom/ingest.sql (the table's storage parameter).
ALTER TABLE "sync_changes" SET (toast_tuple_target = 8160);
