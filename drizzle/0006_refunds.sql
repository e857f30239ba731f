CREATE TABLE "refund_lines" (
	"refund_id" text NOT NULL,
	"sale_line_id" text NOT NULL,
	"product_id" text NOT NULL,
	"vat_rate" integer NOT NULL,
	"quantity" integer NOT NULL,
	"amount_cents" bigint NOT NULL,
	"vat_cents" bigint NOT NULL,
	CONSTRAINT "refund_lines_refund_id_sale_line_id_pk" PRIMARY KEY("refund_id","sale_line_id")
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"sale_id" text NOT NULL,
	"vendor_id" text NOT NULL,
	"event_id" text NOT NULL,
	"device_id" text NOT NULL,
	"hlc" text NOT NULL,
	"created_at" bigint NOT NULL,
	"reason" text NOT NULL,
	"method" text NOT NULL,
	"total_cents" bigint NOT NULL,
	"item_count" integer NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "refund_lines" ADD CONSTRAINT "refund_lines_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "public"."refunds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refund_lines_sale_line_idx" ON "refund_lines" USING btree ("sale_line_id");--> statement-breakpoint
CREATE INDEX "refunds_sale_idx" ON "refunds" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "refunds_vendor_event_idx" ON "refunds" USING btree ("vendor_id","event_id");--> statement-breakpoint
CREATE INDEX "refunds_event_idx" ON "refunds" USING btree ("event_id");