ALTER TABLE "checkout_payments" ALTER COLUMN "url" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "checkout_payments" ADD COLUMN "ui_mode" text DEFAULT 'hosted' NOT NULL;--> statement-breakpoint
ALTER TABLE "checkout_payments" ADD COLUMN "client_secret" text;