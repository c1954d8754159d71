ALTER TABLE "movements" ADD COLUMN "release_order_no" text;--> statement-breakpoint
ALTER TABLE "stock_take_lines" ADD COLUMN "counted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stock_takes" ADD COLUMN "cancelled_by" bigint;--> statement-breakpoint
ALTER TABLE "stock_takes" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stock_takes" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "write_off_requests" ADD COLUMN "release_order_no" text;--> statement-breakpoint
ALTER TABLE "stock_takes" ADD CONSTRAINT "stock_takes_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_takes" ADD CONSTRAINT "stock_takes_cancellation_complete" CHECK (("stock_takes"."status" = 'CANCELLED') = ("stock_takes"."cancelled_at" is not null and "stock_takes"."cancel_reason" is not null));