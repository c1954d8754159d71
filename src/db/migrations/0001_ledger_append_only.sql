-- The ledger is never rewritten (custody rule 7): corrections are new REVERSAL lines.
CREATE FUNCTION refuse_ledger_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'movements is append-only: % refused; record a REVERSAL line instead', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER movements_append_only
  BEFORE UPDATE OR DELETE ON movements
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_rewrite();
--> statement-breakpoint
CREATE TRIGGER movements_no_truncate
  BEFORE TRUNCATE ON movements
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_rewrite();
