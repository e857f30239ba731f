CREATE TABLE "fee_checkouts" (
	"session_id" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"maker_id" text NOT NULL,
	"created_by_user_id" text,
	"amount_cents" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"client_secret" text NOT NULL,
	"reference" text,
	"credited_cents" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fee_checkouts_status_check" CHECK ("fee_checkouts"."status" in ('open', 'paid', 'expired', 'failed', 'mismatch')),
	CONSTRAINT "fee_checkouts_amount_check" CHECK ("fee_checkouts"."amount_cents" > 0)
);
--> statement-breakpoint
ALTER TABLE "checkout_payments" ALTER COLUMN "url" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "fee_payments" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "checkout_payments" ADD COLUMN "ui_mode" text DEFAULT 'hosted' NOT NULL;--> statement-breakpoint
ALTER TABLE "checkout_payments" ADD COLUMN "client_secret" text;--> statement-breakpoint
ALTER TABLE "fee_checkouts" ADD CONSTRAINT "fee_checkouts_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fee_checkouts_event_maker_idx" ON "fee_checkouts" USING btree ("event_id","maker_id");