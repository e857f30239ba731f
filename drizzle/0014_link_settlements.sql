CREATE TABLE "link_settlements" (
	"id" text PRIMARY KEY NOT NULL,
	"sale_id" text NOT NULL,
	"maker_id" text NOT NULL,
	"event_id" text NOT NULL,
	"outcome" text NOT NULL,
	"method" text,
	"note" text,
	"at" bigint NOT NULL,
	"device_id" text NOT NULL,
	"hlc" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "link_settlements_outcome_check" CHECK (("link_settlements"."outcome" = 'received_other_way' and "link_settlements"."method" in ('cash', 'other')) or ("link_settlements"."outcome" = 'written_off' and "link_settlements"."method" is null))
);
--> statement-breakpoint
ALTER TABLE "link_settlements" ADD CONSTRAINT "link_settlements_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "link_settlements_sale_uq" ON "link_settlements" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "link_settlements_maker_event_idx" ON "link_settlements" USING btree ("maker_id","event_id");