ALTER TABLE "sync_devices" ADD COLUMN "code" text;--> statement-breakpoint
CREATE UNIQUE INDEX "sync_devices_vendor_code_uq" ON "sync_devices" USING btree ("vendor_id","code");