CREATE TABLE "link_payments" (
	"session_id" text PRIMARY KEY NOT NULL,
	"maker_id" text NOT NULL,
	"account_id" text NOT NULL,
	"link_id" text NOT NULL,
	"sale_id" text,
	"paid_cents" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"payment_intent_id" text,
	"stripe_created_at" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "link_payments_status_check" CHECK ("link_payments"."status" in ('processing', 'failed', 'paid'))
);
--> statement-breakpoint
CREATE TABLE "payment_links" (
	"maker_id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"link_id" text NOT NULL,
	"url" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_links_link_id_unique" UNIQUE("link_id")
);
--> statement-breakpoint
CREATE INDEX "link_payments_maker_sale_idx" ON "link_payments" USING btree ("maker_id","sale_id");