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
CREATE TABLE "application_photos" (
	"id" text PRIMARY KEY NOT NULL,
	"application_id" text NOT NULL,
	"mime_type" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "maker_applications" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"organisation_id" text NOT NULL,
	"name" text NOT NULL,
	"craft" text NOT NULL,
	"contact" text NOT NULL,
	"language" text NOT NULL,
	"consent_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"message" text,
	"status_token_hash" text NOT NULL,
	"invitation_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	CONSTRAINT "maker_applications_status_token_hash_unique" UNIQUE("status_token_hash"),
	CONSTRAINT "maker_applications_status_check" CHECK ("maker_applications"."status" in ('new', 'waiting', 'accepted', 'declined')),
	CONSTRAINT "maker_applications_text_check" CHECK (char_length("maker_applications"."name") <= 100 and char_length("maker_applications"."craft") <= 200 and char_length("maker_applications"."contact") <= 200 and char_length("maker_applications"."message") <= 1000)
);
--> statement-breakpoint
CREATE TABLE "public_form_attempts" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "revoked_by" text;--> statement-breakpoint
ALTER TABLE "refund_lines" ADD CONSTRAINT "refund_lines_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "public"."refunds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_photos" ADD CONSTRAINT "application_photos_application_id_maker_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."maker_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maker_applications" ADD CONSTRAINT "maker_applications_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maker_applications" ADD CONSTRAINT "maker_applications_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maker_applications" ADD CONSTRAINT "maker_applications_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maker_applications" ADD CONSTRAINT "maker_applications_decided_by_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refund_lines_sale_line_idx" ON "refund_lines" USING btree ("sale_line_id");--> statement-breakpoint
CREATE INDEX "refunds_sale_idx" ON "refunds" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "refunds_vendor_event_idx" ON "refunds" USING btree ("vendor_id","event_id");--> statement-breakpoint
CREATE INDEX "refunds_event_idx" ON "refunds" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "application_photos_application_idx" ON "application_photos" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "maker_applications_event_idx" ON "maker_applications" USING btree ("event_id");--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_revoked_by_user_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_note_check" CHECK (char_length("invitations"."note") <= 200);--> statement-breakpoint
ALTER TABLE "landmarks" ADD CONSTRAINT "landmarks_kind_check" CHECK ("kind" in ('entrance', 'stage', 'toilet', 'other', 'power', 'water', 'first-aid', 'information'));