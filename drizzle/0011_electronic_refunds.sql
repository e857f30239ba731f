CREATE TABLE "electronic_refunds" (
	"refund_id" text PRIMARY KEY NOT NULL,
	"sale_id" text NOT NULL,
	"maker_id" text NOT NULL,
	"origin" text NOT NULL,
	"amount_cents" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"stripe_refund_id" text,
	"failure_reason" text,
	"record_id" text,
	"matched_refund_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "electronic_refunds_stripe_refund_id_unique" UNIQUE("stripe_refund_id"),
	CONSTRAINT "electronic_refunds_matched_refund_id_unique" UNIQUE("matched_refund_id"),
	CONSTRAINT "electronic_refunds_status_check" CHECK ("electronic_refunds"."status" in ('pending', 'refunded', 'failed')),
	CONSTRAINT "electronic_refunds_origin_check" CHECK ("electronic_refunds"."origin" in ('device', 'dashboard')),
	CONSTRAINT "electronic_refunds_amount_check" CHECK ("electronic_refunds"."amount_cents" > 0)
);
--> statement-breakpoint
CREATE INDEX "electronic_refunds_sale_idx" ON "electronic_refunds" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "electronic_refunds_pending_idx" ON "electronic_refunds" USING btree ("status","next_attempt_at");