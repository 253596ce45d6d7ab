-- The activity log is append-only for everyone, owner included: the app role also lacks the
-- privileges (db/migrate.ts), and the hash chain lets a verifier find what a superuser changed.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cirrus_jsonb_key_count(j jsonb) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT count(*)::integer FROM jsonb_object_keys(j)
$$;
--> statement-breakpoint
ALTER TABLE resources ADD CONSTRAINT resources_labels_max_five CHECK (jsonb_typeof(labels) = 'object' AND cirrus_jsonb_key_count(labels) <= 5);
