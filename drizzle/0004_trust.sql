ALTER TABLE "event_stock" ALTER COLUMN "opening_count" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "event_stock" ALTER COLUMN "level" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "field_hlcs" jsonb DEFAULT '{}'::jsonb NOT NULL;