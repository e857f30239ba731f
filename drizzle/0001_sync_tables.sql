CREATE TABLE "event_stock" (
	"event_id" text NOT NULL,
	"product_id" text NOT NULL,
	"vendor_id" text NOT NULL,
	"opening_count" integer DEFAULT 0 NOT NULL,
	"level" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "event_stock_event_id_product_id_pk" PRIMARY KEY("event_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text,
	"owner_vendor_id" text,
	"series_id" text,
	"name" text NOT NULL,
	"date" text NOT NULL,
	"place" text DEFAULT '' NOT NULL,
	"opens_at" text,
	"closes_at" text,
	"status" text NOT NULL,
	"origin" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"server_updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "product_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"product_id" text NOT NULL,
	"field" text NOT NULL,
	"old_value" jsonb,
	"new_value" jsonb,
	"device_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"hlc" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" text PRIMARY KEY NOT NULL,
	"vendor_id" text NOT NULL,
	"name" text NOT NULL,
	"price_cents" bigint NOT NULL,
	"vat_rate" integer NOT NULL,
	"photo_id" text,
	"colour" text NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"hlc" text NOT NULL,
	"server_updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sale_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"sale_id" text NOT NULL,
	"position" integer NOT NULL,
	"product_id" text NOT NULL,
	"name" text NOT NULL,
	"unit_price_cents" bigint NOT NULL,
	"vat_rate" integer NOT NULL,
	"quantity" integer NOT NULL,
	"line_discount_cents" bigint NOT NULL,
	"cart_discount_share_cents" bigint NOT NULL,
	"total_cents" bigint NOT NULL,
	"vat_cents" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales" (
	"id" text PRIMARY KEY NOT NULL,
	"device_id" text NOT NULL,
	"vendor_id" text NOT NULL,
	"event_id" text NOT NULL,
	"receipt_number" integer NOT NULL,
	"hlc" text NOT NULL,
	"created_at" bigint NOT NULL,
	"subtotal_cents" bigint NOT NULL,
	"line_discount_cents" bigint NOT NULL,
	"cart_discount_cents" bigint NOT NULL,
	"total_cents" bigint NOT NULL,
	"rounding_cents" bigint NOT NULL,
	"paid_cents" bigint NOT NULL,
	"payments" jsonb NOT NULL,
	"item_count" integer NOT NULL,
	"status" text NOT NULL,
	"void_reason" text,
	"voided_at" bigint,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stall_assignments" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"stall_id" text NOT NULL,
	"vendor_id" text NOT NULL,
	"arrival_time" text,
	"instructions" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stalls" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"label" text NOT NULL,
	"x" double precision DEFAULT 0 NOT NULL,
	"y" double precision DEFAULT 0 NOT NULL,
	"width" double precision DEFAULT 1 NOT NULL,
	"height" double precision DEFAULT 1 NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"power" boolean DEFAULT false NOT NULL,
	"table" boolean DEFAULT false NOT NULL,
	"food_hygiene" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"product_id" text NOT NULL,
	"vendor_id" text NOT NULL,
	"device_id" text NOT NULL,
	"kind" text NOT NULL,
	"delta" integer NOT NULL,
	"sale_id" text,
	"hlc" text NOT NULL,
	"created_at" bigint NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sync_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"txid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"op" text NOT NULL,
	"vendor_id" text,
	"organisation_id" text,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_devices" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"vendor_id" text,
	"last_applied_seq" bigint DEFAULT 0 NOT NULL,
	"highest_seq" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_push_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sync_mutations" (
	"device_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"status" text NOT NULL,
	"type" text NOT NULL,
	"reason" text,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"hash" text NOT NULL,
	"body" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_mutations_device_id_seq_pk" PRIMARY KEY("device_id","seq")
);
--> statement-breakpoint
CREATE TABLE "vendors" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_history" ADD CONSTRAINT "product_history_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_lines" ADD CONSTRAINT "sale_lines_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stall_assignments" ADD CONSTRAINT "stall_assignments_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stall_assignments" ADD CONSTRAINT "stall_assignments_stall_id_stalls_id_fk" FOREIGN KEY ("stall_id") REFERENCES "public"."stalls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stalls" ADD CONSTRAINT "stalls_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_devices" ADD CONSTRAINT "sync_devices_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_mutations" ADD CONSTRAINT "sync_mutations_device_id_sync_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."sync_devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendors" ADD CONSTRAINT "vendors_owner_user_id_user_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_organisation_idx" ON "events" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "events_owner_vendor_idx" ON "events" USING btree ("owner_vendor_id");--> statement-breakpoint
CREATE INDEX "product_history_product_idx" ON "product_history" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "products_vendor_idx" ON "products" USING btree ("vendor_id");--> statement-breakpoint
CREATE INDEX "sale_lines_sale_idx" ON "sale_lines" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "sales_vendor_event_idx" ON "sales" USING btree ("vendor_id","event_id");--> statement-breakpoint
CREATE INDEX "sales_event_idx" ON "sales" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "sales_device_idx" ON "sales" USING btree ("device_id");--> statement-breakpoint
CREATE INDEX "stall_assignments_event_vendor_idx" ON "stall_assignments" USING btree ("event_id","vendor_id");--> statement-breakpoint
CREATE INDEX "stalls_event_idx" ON "stalls" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "stock_movements_event_product_idx" ON "stock_movements" USING btree ("event_id","product_id");--> statement-breakpoint
CREATE INDEX "stock_movements_sale_idx" ON "stock_movements" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "sync_changes_txid_id_idx" ON "sync_changes" USING btree ("txid","id");--> statement-breakpoint
CREATE INDEX "sync_changes_vendor_idx" ON "sync_changes" USING btree ("vendor_id","txid","id");--> statement-breakpoint
CREATE INDEX "sync_changes_organisation_idx" ON "sync_changes" USING btree ("organisation_id","txid","id");--> statement-breakpoint
CREATE INDEX "sync_devices_user_idx" ON "sync_devices" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "vendors_owner_uq" ON "vendors" USING btree ("owner_user_id");