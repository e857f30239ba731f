-- One vocabulary (issue 10): the tables, columns, indexes and constraints that said "vendor"
-- say "maker", like the code and the screens; the stored role 'vendor' becomes 'maker'; the
-- change feed's stored rows use the new entity and field names, so a pull serves one shape.
-- Renames keep every row, index and foreign key (PostgreSQL renames in place).
-- rename.py: keep-legacy-names
ALTER TABLE "vendors" RENAME TO "makers";--> statement-breakpoint
ALTER TABLE "makers" RENAME CONSTRAINT "vendors_pkey" TO "makers_pkey";--> statement-breakpoint
ALTER TABLE "makers" RENAME CONSTRAINT "vendors_owner_user_id_user_id_fk" TO "makers_owner_user_id_user_id_fk";--> statement-breakpoint
ALTER INDEX "vendors_owner_uq" RENAME TO "makers_owner_uq";--> statement-breakpoint
ALTER TABLE "invitations" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER TABLE "memberships" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER TABLE "event_stock" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER TABLE "events" RENAME COLUMN "owner_vendor_id" TO "owner_maker_id";--> statement-breakpoint
ALTER INDEX "events_owner_vendor_idx" RENAME TO "events_owner_maker_idx";--> statement-breakpoint
ALTER TABLE "products" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER INDEX "products_vendor_idx" RENAME TO "products_maker_idx";--> statement-breakpoint
ALTER TABLE "refunds" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER INDEX "refunds_vendor_event_idx" RENAME TO "refunds_maker_event_idx";--> statement-breakpoint
ALTER TABLE "sales" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER INDEX "sales_vendor_event_idx" RENAME TO "sales_maker_event_idx";--> statement-breakpoint
ALTER TABLE "stall_assignments" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER INDEX "stall_assignments_event_vendor_idx" RENAME TO "stall_assignments_event_maker_idx";--> statement-breakpoint
ALTER TABLE "stock_movements" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER TABLE "sync_changes" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER INDEX "sync_changes_vendor_idx" RENAME TO "sync_changes_maker_idx";--> statement-breakpoint
ALTER TABLE "sync_devices" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER INDEX "sync_devices_vendor_code_uq" RENAME TO "sync_devices_maker_code_uq";--> statement-breakpoint
ALTER TABLE "event_makers" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER INDEX "event_makers_vendor_idx" RENAME TO "event_makers_maker_idx";--> statement-breakpoint
ALTER TABLE "event_makers" RENAME CONSTRAINT "event_makers_event_id_vendor_id_pk" TO "event_makers_event_id_maker_id_pk";--> statement-breakpoint
ALTER INDEX "refunds_vendor_created_idx" RENAME TO "refunds_maker_created_idx";--> statement-breakpoint
ALTER INDEX "sales_vendor_created_idx" RENAME TO "sales_maker_created_idx";--> statement-breakpoint
ALTER TABLE "product_photos" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER INDEX "product_photos_vendor_idx" RENAME TO "product_photos_maker_idx";--> statement-breakpoint
ALTER TABLE "product_photos" RENAME CONSTRAINT "product_photos_vendor_id_vendors_id_fk" TO "product_photos_maker_id_makers_id_fk";--> statement-breakpoint
ALTER TABLE "cash_days" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER INDEX "cash_days_vendor_idx" RENAME TO "cash_days_maker_idx";--> statement-breakpoint
ALTER TABLE "cash_movements" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER INDEX "cash_movements_vendor_idx" RENAME TO "cash_movements_maker_idx";--> statement-breakpoint
ALTER TABLE "cash_reports" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER INDEX "cash_reports_vendor_idx" RENAME TO "cash_reports_maker_idx";--> statement-breakpoint
ALTER TABLE "checkout_payments" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER INDEX "checkout_payments_vendor_idx" RENAME TO "checkout_payments_maker_idx";--> statement-breakpoint
ALTER TABLE "stripe_accounts" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER TABLE "fee_payments" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER TABLE "fee_payments" RENAME CONSTRAINT "fee_payments_event_id_vendor_id_pk" TO "fee_payments_event_id_maker_id_pk";--> statement-breakpoint
ALTER TABLE "figure_sharing" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER TABLE "figure_sharing" RENAME CONSTRAINT "figure_sharing_vendor_id_organisation_id_pk" TO "figure_sharing_maker_id_organisation_id_pk";--> statement-breakpoint
ALTER TABLE "maker_photos" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER INDEX "maker_photos_vendor_idx" RENAME TO "maker_photos_maker_idx";--> statement-breakpoint
ALTER TABLE "maker_photos" RENAME CONSTRAINT "maker_photos_vendor_id_vendors_id_fk" TO "maker_photos_maker_id_makers_id_fk";--> statement-breakpoint
ALTER TABLE "maker_profiles" RENAME COLUMN "vendor_id" TO "maker_id";--> statement-breakpoint
ALTER TABLE "maker_profiles" RENAME CONSTRAINT "maker_profiles_vendor_id_vendors_id_fk" TO "maker_profiles_maker_id_makers_id_fk";--> statement-breakpoint
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_role_check";--> statement-breakpoint
UPDATE "memberships" SET "role" = 'maker' WHERE "role" = 'vendor';--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_role_check" CHECK ("memberships"."role" in ('organiser', 'maker', 'helper'));--> statement-breakpoint
ALTER TABLE "invitations" DROP CONSTRAINT "invitations_role_check";--> statement-breakpoint
UPDATE "invitations" SET "role" = 'maker' WHERE "role" = 'vendor';--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_role_check" CHECK ("invitations"."role" in ('organiser', 'maker', 'helper'));--> statement-breakpoint
-- The change feed keeps each change as the server sent it (entity name, JSON fields): rename
-- the entity and every object key that says vendor (vendorId, ownerVendorId,
-- invitedVendorIds...). Keys are matched only where jsonb's text form starts a key ('{' or
-- ', ' then an unescaped quote), never inside a string value (whose quotes are escaped).
UPDATE "sync_changes" SET "entity" = 'maker_results' WHERE "entity" = 'vendor_results';--> statement-breakpoint
UPDATE "sync_changes"
SET "data" = regexp_replace(
  regexp_replace("data"::text, '([{,] )"([A-Za-z0-9_]*)vendor([A-Za-z0-9_]*)": ', '\1"\2maker\3": ', 'g'),
  '([{,] )"([A-Za-z0-9_]*)Vendor([A-Za-z0-9_]*)": ', '\1"\2Maker\3": ', 'g'
)::jsonb
WHERE "data"::text ~ '[{,] "[A-Za-z0-9_]*[Vv]endor[A-Za-z0-9_]*": ';
