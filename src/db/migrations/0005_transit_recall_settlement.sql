CREATE TYPE "public"."discrepancy_disposition" AS ENUM('RETURN', 'KEEP_QUARANTINED');--> statement-breakpoint
CREATE TYPE "public"."discrepancy_settlement" AS ENUM('FOUND', 'WRITTEN_OFF', 'RETURNED');--> statement-breakpoint
ALTER TYPE "public"."requisition_status" ADD VALUE 'RECALLED';--> statement-breakpoint
ALTER TABLE "allocations" ADD COLUMN "floor_used" numeric(18, 3) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD COLUMN "allocation_id" bigint;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD COLUMN "disposition" "discrepancy_disposition";--> statement-breakpoint
ALTER TABLE "discrepancies" ADD COLUMN "lot_id" bigint;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD COLUMN "return_requisition_id" bigint;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD COLUMN "settlement" "discrepancy_settlement";--> statement-breakpoint
ALTER TABLE "discrepancies" ADD COLUMN "settlement_note" text;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD COLUMN "settled_by" bigint;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD COLUMN "settled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "requisitions" ADD COLUMN "return_of_id" bigint;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD CONSTRAINT "discrepancies_settled_by_users_id_fk" FOREIGN KEY ("settled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD CONSTRAINT "discrepancies_county_id_allocation_id_allocations_county_id_id_fk" FOREIGN KEY ("county_id","allocation_id") REFERENCES "public"."allocations"("county_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD CONSTRAINT "discrepancies_county_id_lot_id_lots_county_id_id_fk" FOREIGN KEY ("county_id","lot_id") REFERENCES "public"."lots"("county_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD CONSTRAINT "discrepancies_county_id_return_requisition_id_requisitions_county_id_id_fk" FOREIGN KEY ("county_id","return_requisition_id") REFERENCES "public"."requisitions"("county_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requisitions" ADD CONSTRAINT "requisitions_county_id_return_of_id_requisitions_county_id_id_fk" FOREIGN KEY ("county_id","return_of_id") REFERENCES "public"."requisitions"("county_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "discrepancies_open_idx" ON "discrepancies" USING btree ("county_id","settled_at");--> statement-breakpoint
CREATE UNIQUE INDEX "requisitions_one_escalation_key" ON "requisitions" USING btree ("county_id","escalated_from_id") WHERE "requisitions"."escalated_from_id" is not null;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD CONSTRAINT "discrepancies_settled_fully" CHECK (("discrepancies"."settled_at" is null) = ("discrepancies"."settlement" is null) and ("discrepancies"."settled_at" is null) = ("discrepancies"."settled_by" is null));