-- What each part of a batch's budget hold asked for (BatchHolds): a JSON array of [model, input tokens (estimate),
-- input tokens (bound), max_tokens], one per part in attempt order. Counters rebuilt from the ledger at a start (in
-- memory) know nothing of holds, so the start takes them again from this for batches not yet billed. Batches created
-- before this migration have none (NULL): their holds are not taken again.
ALTER TABLE message_batches ADD COLUMN hold_asks TEXT;
