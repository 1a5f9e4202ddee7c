CREATE TABLE "bulk_job_items" (
	"job_id" text NOT NULL,
	"seq" integer NOT NULL,
	"target" text NOT NULL,
	"label" text,
	"state" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"result" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"transient_failures" integer DEFAULT 0 NOT NULL,
	"outcome_unknown" boolean DEFAULT false NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"not_before" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bulk_job_items_job_id_seq_pk" PRIMARY KEY("job_id","seq"),
	CONSTRAINT "bulk_job_items_state_check" CHECK ("bulk_job_items"."state" in ('pending', 'done', 'skipped', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "bulk_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"created_by" text NOT NULL,
	"created_by_email" text,
	"created_by_operator" boolean DEFAULT false NOT NULL,
	"params" jsonb NOT NULL,
	"selection" jsonb NOT NULL,
	"total" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"cancel_requested_at" timestamp with time zone,
	CONSTRAINT "bulk_jobs_status_check" CHECK ("bulk_jobs"."status" in ('queued', 'running', 'finished', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "bulk_job_items" ADD CONSTRAINT "bulk_job_items_job_id_bulk_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."bulk_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulk_job_items_job_state_idx" ON "bulk_job_items" USING btree ("job_id","state","seq");--> statement-breakpoint
CREATE INDEX "bulk_jobs_org_created_idx" ON "bulk_jobs" USING btree ("organization_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "bulk_jobs_status_idx" ON "bulk_jobs" USING btree ("status");