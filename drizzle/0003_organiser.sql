CREATE TABLE "announcements" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"body" text NOT NULL,
	"sent_at" bigint NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "event_makers" (
	"event_id" text NOT NULL,
	"vendor_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_makers_event_id_vendor_id_pk" PRIMARY KEY("event_id","vendor_id")
);
--> statement-breakpoint
CREATE TABLE "event_series" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fee_payments" (
	"event_id" text NOT NULL,
	"vendor_id" text NOT NULL,
	"paid_cents" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fee_payments_event_id_vendor_id_pk" PRIMARY KEY("event_id","vendor_id"),
	CONSTRAINT "fee_payments_paid_check" CHECK ("fee_payments"."paid_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "figure_sharing" (
	"vendor_id" text NOT NULL,
	"organisation_id" text NOT NULL,
	"shares" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "figure_sharing_vendor_id_organisation_id_pk" PRIMARY KEY("vendor_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "landmarks" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"kind" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"x" integer NOT NULL,
	"y" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "maker_photos" (
	"id" text PRIMARY KEY NOT NULL,
	"vendor_id" text NOT NULL,
	"mime_type" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "maker_profiles" (
	"vendor_id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"display_name" text NOT NULL,
	"craft" text DEFAULT '' NOT NULL,
	"story" text DEFAULT '' NOT NULL,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"photo_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"contact" jsonb NOT NULL,
	"listed" boolean DEFAULT false NOT NULL,
	"needs" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organised_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"closed_at" bigint,
	"allow_multiple_stalls" boolean DEFAULT false NOT NULL,
	"stall_fee_default_cents" bigint DEFAULT 0 NOT NULL,
	"map_width" integer DEFAULT 12 NOT NULL,
	"map_height" integer DEFAULT 8 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stall_fees" (
	"stall_id" text PRIMARY KEY NOT NULL,
	"fee_cents" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "announcements" ADD CONSTRAINT "announcements_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "announcements" ADD CONSTRAINT "announcements_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_makers" ADD CONSTRAINT "event_makers_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_series" ADD CONSTRAINT "event_series_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_payments" ADD CONSTRAINT "fee_payments_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "figure_sharing" ADD CONSTRAINT "figure_sharing_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "landmarks" ADD CONSTRAINT "landmarks_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maker_photos" ADD CONSTRAINT "maker_photos_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maker_profiles" ADD CONSTRAINT "maker_profiles_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organised_events" ADD CONSTRAINT "organised_events_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stall_fees" ADD CONSTRAINT "stall_fees_stall_id_stalls_id_fk" FOREIGN KEY ("stall_id") REFERENCES "public"."stalls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "announcements_event_idx" ON "announcements" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "event_makers_vendor_idx" ON "event_makers" USING btree ("vendor_id");--> statement-breakpoint
CREATE INDEX "event_series_organisation_idx" ON "event_series" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "landmarks_event_idx" ON "landmarks" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "maker_photos_vendor_idx" ON "maker_photos" USING btree ("vendor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "maker_profiles_slug_uq" ON "maker_profiles" USING btree ("slug");