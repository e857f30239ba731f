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
CREATE UNIQUE INDEX "cash_days_event_device_idx" ON "cash_days" USING btree ("event_id","device_id");--> statement-breakpoint
CREATE INDEX "cash_days_vendor_idx" ON "cash_days" USING btree ("vendor_id");--> statement-breakpoint
CREATE INDEX "cash_movements_event_device_idx" ON "cash_movements" USING btree ("event_id","device_id");--> statement-breakpoint
CREATE INDEX "cash_movements_vendor_idx" ON "cash_movements" USING btree ("vendor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cash_reports_device_number_idx" ON "cash_reports" USING btree ("device_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "cash_reports_event_device_idx" ON "cash_reports" USING btree ("event_id","device_id");--> statement-breakpoint
CREATE INDEX "cash_reports_vendor_idx" ON "cash_reports" USING btree ("vendor_id");