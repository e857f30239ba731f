ALTER TABLE "event_stock" ALTER COLUMN "opening_count" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "event_stock" ALTER COLUMN "level" SET DATA TYPE bigint;