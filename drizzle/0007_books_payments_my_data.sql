CREATE TABLE "product_photos" (
	"id" text PRIMARY KEY NOT NULL,
	"vendor_id" text NOT NULL,
	"mime_type" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cash_days" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"vendor_id" text NOT NULL,
	"device_id" text NOT NULL,
	"opening_float_cents" bigint NOT NULL,
	"opened_at" bigint NOT NULL,
	"hlc" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cash_movements" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"vendor_id" text NOT NULL,
	"device_id" text NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"amount_cents" bigint NOT NULL,
	"corrects_report_id" text,
	"created_at" bigint NOT NULL,
	"hlc" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cash_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"number" integer NOT NULL,
	"event_id" text NOT NULL,
	"vendor_id" text NOT NULL,
	"device_id" text NOT NULL,
	"opening_float_cents" bigint NOT NULL,
	"cash_sales_cents" bigint NOT NULL,
	"cash_refunds_cents" bigint NOT NULL,
	"movements" jsonb NOT NULL,
	"expected_cents" bigint NOT NULL,
	"counted_cents" bigint NOT NULL,
	"pieces" jsonb,
	"difference_cents" bigint NOT NULL,
	"opened_at" bigint NOT NULL,
	"closed_at" bigint NOT NULL,
	"hlc" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
ALTER TABLE "vendors" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "product_photos" ADD CONSTRAINT "product_photos_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkout_payments" ADD CONSTRAINT "checkout_payments_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "product_photos_vendor_idx" ON "product_photos" USING btree ("vendor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cash_days_event_device_idx" ON "cash_days" USING btree ("event_id","device_id");--> statement-breakpoint
CREATE INDEX "cash_days_vendor_idx" ON "cash_days" USING btree ("vendor_id");--> statement-breakpoint
CREATE INDEX "cash_movements_event_device_idx" ON "cash_movements" USING btree ("event_id","device_id");--> statement-breakpoint
CREATE INDEX "cash_movements_vendor_idx" ON "cash_movements" USING btree ("vendor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cash_reports_device_number_idx" ON "cash_reports" USING btree ("device_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "cash_reports_event_device_idx" ON "cash_reports" USING btree ("event_id","device_id");--> statement-breakpoint
CREATE INDEX "cash_reports_vendor_idx" ON "cash_reports" USING btree ("vendor_id");--> statement-breakpoint
CREATE INDEX "checkout_payments_vendor_idx" ON "checkout_payments" USING btree ("vendor_id");--> statement-breakpoint
CREATE INDEX "refunds_vendor_created_idx" ON "refunds" USING btree ("vendor_id","created_at","id");--> statement-breakpoint
CREATE INDEX "sales_vendor_created_idx" ON "sales" USING btree ("vendor_id","created_at","id");