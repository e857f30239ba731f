ALTER TABLE "invitations" DROP CONSTRAINT "invitations_role_check";--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "new_organisation" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_new_organisation_check" CHECK (not "invitations"."new_organisation" or "invitations"."role" = 'organiser');--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_role_check" CHECK ("invitations"."role" in ('organiser', 'vendor', 'helper'));