CREATE TABLE "sign_in_attempt" (
	"email" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "event_stock" ALTER COLUMN "opening_count" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "event_stock" ALTER COLUMN "level" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "sign_up_probes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "field_hlcs" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_sign_up_probes_check" CHECK ("invitations"."sign_up_probes" >= 0);