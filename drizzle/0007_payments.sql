CREATE TABLE "checkout_payments" (
	"sale_id" text PRIMARY KEY NOT NULL,
	"vendor_id" text NOT NULL,
	"account_id" text NOT NULL,
	"event_id" text NOT NULL,
	"created_by_user_id" text,
	"session_id" text NOT NULL,
	"url" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"paid_cents" integer,
	"amount_mismatch" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"payment_intent_id" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkout_payments_session_id_unique" UNIQUE("session_id"),
	CONSTRAINT "checkout_payments_status_check" CHECK ("checkout_payments"."status" in ('open', 'processing', 'expired', 'failed', 'paid')),
	CONSTRAINT "checkout_payments_amount_check" CHECK ("checkout_payments"."amount_cents" > 0)
);
--> statement-breakpoint
CREATE TABLE "stripe_accounts" (
	"vendor_id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"charges_enabled" boolean DEFAULT false NOT NULL,
	"details_submitted" boolean DEFAULT false NOT NULL,
	"last_event_created" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stripe_accounts_account_id_unique" UNIQUE("account_id")
);
--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"account_id" text,
	"outcome" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "checkout_payments" ADD CONSTRAINT "checkout_payments_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "checkout_payments_vendor_idx" ON "checkout_payments" USING btree ("vendor_id");