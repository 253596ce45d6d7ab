DROP INDEX "resources_provider_ref_key";--> statement-breakpoint
CREATE UNIQUE INDEX "resources_provider_ref_key" ON "resources" USING btree ("project_id","kind","region","provider_ref");