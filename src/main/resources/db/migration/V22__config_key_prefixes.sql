-- V8 kept three characters of every configured key, which is more than the quarter of a key that
-- ApiKeys.prefix shows (at most 12 characters) when the key is shorter than 12. The prefix of a
-- configured key is written again from the key itself on every start; a key that is no longer
-- configured shows none.
UPDATE api_keys SET key_prefix = '' WHERE source = 'config';
