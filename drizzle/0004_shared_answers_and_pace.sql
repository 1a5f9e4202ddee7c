CREATE TABLE "budget_pace" (
	"id" integer PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shared_answers" (
	"key" text PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL,
	"value" jsonb NOT NULL,
	"read_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "shared_answers_read_at_idx" ON "shared_answers" USING btree ("read_at");