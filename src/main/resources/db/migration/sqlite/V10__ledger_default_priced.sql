-- An attempt whose served model was not in the price table is billed at the table's default price. The flag says
-- so on the record, so finance can find the placeholder costs (and a price file can be fixed) instead of taking
-- them for the provider's rate.
ALTER TABLE ledger ADD COLUMN default_priced INTEGER NOT NULL DEFAULT 0;
